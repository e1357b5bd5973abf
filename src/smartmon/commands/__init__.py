"""One module per `smartmon` sub-command: add_arguments(parser) and run(args) -> int."""
