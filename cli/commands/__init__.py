"""Further `govspider` subcommands; each module here has `register(subparsers)`.

Add a module name to COMMAND_MODULES to add a command without touching cli.py.
"""

COMMAND_MODULES: list[str] = [
    "cli.commands.db",
    "cli.commands.schedule",
    "cli.commands.probe",
    "cli.commands.linkcheck",
    "cli.commands.review",
]
