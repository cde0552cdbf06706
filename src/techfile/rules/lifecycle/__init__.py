"""SDL: is there evidence of the secure development lifecycle of EN IEC 81001-5-1:2022, and do
the security tests, mitigations and IT requirements hold together?

The activities SDL001 requires, the words the rules read and the parts of the minimum IT
requirements live in `data/lifecycle.yaml`, read by `techfile.model.lifecycle`; clause numbers
come from there and from the rule pages, never from this package.

One module per rule, named after its page in `checks/`; `common` holds the shared helpers,
`coverage` the tests coverage map shared by SDL002 and SDL007.
"""

from __future__ import annotations
