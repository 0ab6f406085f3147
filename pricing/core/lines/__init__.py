"""One module per line: `parameters`, `build_input` and `quote`."""
