"""IS: the Statement of Applicability and scope of an ISO/IEC 27001 ISMS kept beside the
technical file. Does every Annex A control have a decision, a justified exclusion and, when
implemented, released documents behind it; is the ISMS scope stated and inside the
certificate's; are the control numbers those of the edition the SoA claims?

The rules read ISMS documents only; they never judge ISMS evidence cited for product clauses
(that is EV001's). The Annex A controls and the 2013 -> 2022 renumbering come from data/isms/
and data/crosswalks/ (techfile.data.isms); the clause each rule enforces is read from its page
in `checks/`, never written here.

One module per rule, named after its page in `checks/`; `common` holds what they share. The
rules run because rules/registry.py lists their modules; nothing here imports them.
"""

from __future__ import annotations
