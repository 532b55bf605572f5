"""The FIU's side: reports received from reporting entities, the subjects behind them, the national
list sent out, requests between FIUs (docs/fiu.md).

`records.py` holds the plain records the parts share: a `Mention` is one person or organisation as
one report names it, the unit that intake stores and entity resolution groups into subjects.
"""
