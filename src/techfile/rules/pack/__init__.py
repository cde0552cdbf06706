"""PK: a maintained disclosure statement (`type: disclosure-statement`, the manufacturer's answers
to a hospital's MDS2 security questionnaire) checked against the technical file.

The capability sections and questions come from `data/capabilities/mds2-2019.yaml`; what the
file answers is `techfile.model.capability_answers`, the customer's part and the support dates
`techfile.model.disclosure`, so `techfile pack` and these rules agree. One module per rule,
named after its page in `checks/`; `common` holds the shared wording.
"""

from __future__ import annotations
