// Nothing: this package only builds the code generators.
