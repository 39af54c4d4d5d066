"""The ``parkgis`` command line: a click group, one small module per subcommand."""
