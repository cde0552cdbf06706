"""EV: is the evidence cited for each clause the kind of evidence that clause needs?

Which classes a clause accepts, and which organisational types it takes as support, come from
the clause registry (`data/clauses/*.yaml`, read through `techfile.model.evidence_classes`);
the GSPR rows a software device must have come from `data/gspr-requirements.yaml`. No rule here
holds a clause list of its own, and messages name clauses from the rule pages or the registry.

One module per rule, named after its page in `checks/`; `common` holds the helpers they share.
"""

from __future__ import annotations
