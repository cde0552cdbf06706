"""ST: standards currency. Are the cited editions current, is an edition cited at all, and are
the certificates and SOC 2 reports the file relies on still valid?

Editions, their supersession dates and the end of certification to an old edition come from
`data/standards.yaml` (techfile.model.standards); the rules hold no dates of their own. The
citing document's approval comes from techfile.model.register, so a document register is
honoured with `approval-source = "register"`.

One module per rule, named after its page in `checks/`; `common` holds what they share.
"""

from __future__ import annotations
