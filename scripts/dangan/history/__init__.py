"""The alteration trail: Git history read field by field (``dangan audit``, ``trail``, ``diff``).

gitlog — one ``git log --raw`` pass and a ``git cat-file --batch`` blob reader;
sections — a dossier version split into top-level sections, parsed only where it changed;
fielddiff — THE field-level diff of two dossier versions (used by every report and the site);
guard — which changes touch protected facts, and the 认定记录 that authorises them;
scan — commits → records, kept in an incremental index (index);
audit, trail, diffview, textconv — what the commands print.
"""
