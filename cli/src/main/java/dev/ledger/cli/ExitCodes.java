package dev.ledger.cli;

import dev.ledger.bridge.BridgeException;
import dev.ledger.embedded.InfrastructureException;
import dev.ledger.events.LedgerException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/**
 * The one place where failures become exit codes and operator messages: bad input 2, infrastructure 3,
 * anything else 1 (with the stack trace only in the log, never on the console unless --verbose asked for it).
 */
final class ExitCodes implements IExecutionExceptionHandler, IExitCodeExceptionMapper {
  static final int OK = 0;
  static final int INTERNAL = 1;
  static final int BAD_INPUT = 2;
  static final int UNAVAILABLE = 3;

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    cli.getErr().println(cli.getColorScheme().errorText("ledger " + cli.getCommandName() + ": " + message(e)));
    if (!(e instanceof InfrastructureException) && !(e instanceof LedgerException)
        && !(e instanceof IllegalArgumentException)) {
      cli.getErr().println("(an internal error; the stack trace follows for the bug report)");
      e.printStackTrace(cli.getErr());
    }
    return getExitCode(e);
  }

  @Override
  public int getExitCode(Throwable e) {
    if (e instanceof InfrastructureException
        || e instanceof LedgerException ledger && BridgeException.UNAVAILABLE.equals(ledger.code())) {
      return UNAVAILABLE;
    }
    if (e instanceof LedgerException || e instanceof IllegalArgumentException
        || e instanceof CommandLine.ParameterException) {
      return BAD_INPUT;
    }
    return INTERNAL;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
