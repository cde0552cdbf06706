"""RM: does the ISO 14971 risk file hold the security risks that can lead to harm, and does it
hold together against its risk management plan?

Which threats and security risks reach a risk row (`techfile.model.risk_trace`) and where a row
falls in its plan's matrix (`techfile.model.risk_evaluation`) are model queries the report
shares; clause numbers come from the rule pages, never from this package.

One module per rule, named after its page in `checks/`; `common` holds the helpers they share.
"""

from __future__ import annotations
