"""Errors a command raises to end with one clear line instead of a traceback."""


class CommandError(Exception):
    """The command could not do its job (unreachable store, failed fetch): exit code 1."""

    exit_code = 1


class UsageError(CommandError):
    """The user typed something unusable (bad URI, bad file): exit code 2."""

    exit_code = 2
