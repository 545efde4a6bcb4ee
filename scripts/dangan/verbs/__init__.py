"""The clerk's verbs: file, determine, transfer, fmt — each a rule-bound edit that keeps the rest of the file."""
