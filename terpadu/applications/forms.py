"""HTML forms generated from a service version: they parse and render; the services validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.applications.models import Application
from terpadu.applications.services import requirement_optional
from terpadu.applications.uploads import ACCEPT, max_bytes
from terpadu.catalog.models import ServiceVersion


#: service error field -> form field
def form_field_name(error_field: str) -> str:
    if error_field.startswith("data."):
        return "x_" + error_field[5:]
    if error_field.startswith("files."):
        return "doc_" + error_field[6:]
    return error_field


_WIDGETS: dict[str, Any] = {
    "textarea": lambda: forms.Textarea(attrs={"rows": 3}),
    "date": lambda: forms.DateInput(attrs={"type": "date"}),
    "number": lambda: forms.TextInput(attrs={"inputmode": "numeric"}),
    "email": lambda: forms.EmailInput(),
    "tel": lambda: forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
}


class ApplicationForm(forms.Form):
    """Applicant, the service's extra fields, one upload per requirement (and counter checks)."""

    applicant_name = forms.CharField(
        label=_("Nama lengkap pemohon"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    applicant_nik = forms.CharField(
        label=_("NIK pemohon"),
        max_length=40,
        required=False,
        help_text=_("16 angka, sesuai KTP-el atau KK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=_("Nomor HP (opsional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.CharField(
        label=_("Surel (opsional)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    notify_channel = forms.ChoiceField(
        label=_("Kirim kabar permohonan lewat"),
        choices=Application.NotifyChannel.choices,
        initial=Application.NotifyChannel.NONE,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        version: ServiceVersion,
        counter: bool = False,
        applicant_fields: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        if not applicant_fields:
            for name in (
                "applicant_name",
                "applicant_nik",
                "applicant_phone",
                "applicant_email",
                "notify_channel",
            ):
                del self.fields[name]
        # Translated outside the f-strings: xgettext does not read inside them.
        optional_word, optional_note = _("opsional"), _("Opsional.")
        for spec in version.extra_fields or []:
            widget = _WIDGETS.get(spec.get("type", "text"), forms.TextInput)()
            label = spec.get("label", spec["name"])
            self.fields[f"x_{spec['name']}"] = forms.CharField(
                label=label if spec.get("required") else f"{label} ({optional_word})",
                required=False,
                max_length=5000,
                widget=widget,
            )
        mb = max_bytes() // (1024 * 1024)
        self.documents: list[dict[str, Any]] = []
        for index, requirement in enumerate(version.requirement_list()):
            optional = requirement_optional(requirement)
            name = f"doc_{index}"
            self.fields[name] = forms.FileField(
                label=requirement.get("document", ""),
                required=False,
                help_text=_("PDF, JPEG atau PNG, paling besar %(mb)d MB.") % {"mb": mb}
                + (f" {optional_note}" if optional else ""),
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )
            entry = {"index": index, "field": name, "optional": optional}
            if counter:
                check = f"check_{index}"
                self.fields[check] = forms.BooleanField(
                    label=_("Dokumen asli sudah diperiksa di loket"), required=False
                )
                entry["check"] = check
            self.documents.append(entry)

    def data_values(self) -> dict[str, Any]:
        return {
            name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("x_")
        }

    def uploads(self) -> dict[int, Any]:
        return {
            int(name[4:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("doc_") and value
        }

    def checked(self) -> list[int]:
        return [
            int(name[6:])
            for name, value in self.cleaned_data.items()
            if name.startswith("check_") and value
        ]

    def document_rows(self) -> list[dict[str, Any]]:
        return [
            {
                **entry,
                "bound": self[entry["field"]],
                "check_bound": self[entry["check"]] if "check" in entry else None,
            }
            for entry in self.documents
        ]

    def extra_bound(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("x_")]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan / catatan untuk pemohon"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Kode permohonan"),
        max_length=40,
        required=False,
        help_text=_("Tertera pada tanda terima, misalnya 7K2Q-M4T-XP9."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    secret = forms.CharField(
        label=_("4 angka terakhir NIK, atau nomor HP"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
