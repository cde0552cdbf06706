"""DC: document control. Is each approved document identified by a version and an approval
record, unchanged since its approval, pointing only to current documents, reviewed when due,
and approved by someone besides its author?

Status and approvals come from the front-matter, or from a document register with
`approval-source = "register"` (techfile.model.register). The clause each rule enforces is the
first one its page names; no clause number is written here.

One module per rule, named after its page in `checks/` (dc001_approval_metadata_missing.py,
...); `common` holds what they share. The rules run because rules/registry.py lists their
modules; nothing here imports them.
"""
