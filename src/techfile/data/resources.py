"""Where the shipped data lives: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@functools.cache
def bundled(name: str) -> Path:
    """Return the directory of a shipped resource (`schemas`, `checks`, `data`, ...).

    A wheel carries them under `techfile/_bundled/`; an editable install or a plain
    checkout finds them at the repository root, two levels above the package.
    """
    in_wheel = _PACKAGE_DIR / "_bundled" / name
    if in_wheel.is_dir():
        return in_wheel
    in_checkout = _PACKAGE_DIR.parent.parent / name
    if in_checkout.is_dir():
        return in_checkout
    raise FileNotFoundError(f"techfile installation is incomplete: {name}/ not found")
