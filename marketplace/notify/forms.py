"""The email preferences form: one switch per kind of notification that may be turned off."""

from __future__ import annotations

from wtforms import BooleanField

from ..forms import Form


def preferences_form(kinds, chosen: dict[str, bool]) -> Form:
    """A form with a switch per kind in ``kinds`` (named by its key), set as ``chosen``."""

    class PreferencesForm(Form):
        def to_data(self) -> dict[str, bool]:
            return {kind.key: bool(self[kind.key].data) for kind in kinds}

    for kind in kinds:
        setattr(PreferencesForm, kind.key, BooleanField(kind.label))
    return PreferencesForm(data=chosen)
