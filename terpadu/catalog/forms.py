"""Office forms: they parse input types only; the services validate the business rules."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.catalog.content import LABELS
from terpadu.catalog.models import CompletionUnit, ServiceCategory, ServiceVersion

TEXTAREA = forms.Textarea(attrs={"rows": 3})
LIST_HELP = _("Satu baris untuk setiap butir.")


class ServiceEditForm(forms.Form):
    # Identity (Service).
    name = forms.CharField(label=_("Nama layanan"), max_length=200)
    aliases = forms.CharField(
        label=_("Nama sehari-hari"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Satu baris untuk setiap nama, mis. 'akte lahir'."),
    )
    summary = forms.CharField(label=_("Ringkasan"), max_length=300, required=False)
    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=ServiceCategory.objects.none(), required=False
    )
    online_available = forms.BooleanField(label=_("Dapat diajukan daring"), required=False)
    booking_available = forms.BooleanField(label=_("Dapat pesan antrean"), required=False)
    is_active = forms.BooleanField(label=_("Aktif (tampil untuk warga)"), required=False)
    # Draft content (ServiceVersion).
    requirements = forms.CharField(
        label=LABELS["requirements"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Satu persyaratan per baris; catatan setelah ' -- ', mis. 'KK -- asli'."),
    )
    procedure = forms.CharField(
        label=LABELS["procedure"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=LIST_HELP,
    )
    completion_time_value = forms.IntegerField(label=LABELS["completion_time_value"], min_value=1)
    completion_time_unit = forms.ChoiceField(
        label=LABELS["completion_time_unit"], choices=CompletionUnit.choices
    )
    fee_amount = forms.IntegerField(
        label=_("Biaya/tarif (Rp, 0 = gratis)"), min_value=0, required=True
    )
    fee_legal_basis = forms.CharField(
        label=LABELS["fee_legal_basis"], required=False, widget=TEXTAREA
    )
    product = forms.CharField(label=LABELS["product"], required=False, widget=TEXTAREA)
    complaint_channel = forms.CharField(
        label=LABELS["complaint_channel"], required=False, widget=TEXTAREA
    )
    legal_basis = forms.CharField(label=LABELS["legal_basis"], required=False, widget=TEXTAREA)
    facilities = forms.CharField(label=LABELS["facilities"], required=False, widget=TEXTAREA)
    staff_competence = forms.CharField(
        label=LABELS["staff_competence"], required=False, widget=TEXTAREA
    )
    internal_control = forms.CharField(
        label=LABELS["internal_control"], required=False, widget=TEXTAREA
    )
    staff_count = forms.CharField(label=LABELS["staff_count"], required=False, widget=TEXTAREA)
    service_guarantee = forms.CharField(
        label=LABELS["service_guarantee"], required=False, widget=TEXTAREA
    )
    safety_guarantee = forms.CharField(
        label=LABELS["safety_guarantee"], required=False, widget=TEXTAREA
    )
    performance_evaluation = forms.CharField(
        label=LABELS["performance_evaluation"], required=False, widget=TEXTAREA
    )
    extra_fields = forms.CharField(
        label=LABELS["extra_fields"],
        required=False,
        widget=TEXTAREA,
        help_text=_(
            'JSON, mis. [{"name": "child_name", "label": "Nama anak", "type": "text", "required": true}]'
        ),
    )
    change_note = forms.CharField(label=_("Catatan perubahan"), max_length=300, required=False)

    IDENTITY = (
        "name",
        "aliases",
        "summary",
        "category",
        "online_available",
        "booking_available",
        "is_active",
    )
    MANAGEMENT = (
        "legal_basis",
        "facilities",
        "staff_competence",
        "internal_control",
        "staff_count",
        "service_guarantee",
        "safety_guarantee",
        "performance_evaluation",
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = ServiceCategory.objects.filter(region_id=region_id)

    def clean_extra_fields(self) -> Any:
        raw = self.cleaned_data.get("extra_fields", "").strip()
        if not raw:
            return []
        try:
            return json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("Bukan JSON yang valid.")) from None

    def identity_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.IDENTITY}

    def content_data(self) -> dict[str, Any]:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in self.IDENTITY and k != "change_note"
        }
        return data

    @classmethod
    def initial_for(cls, service: Any, version: ServiceVersion | None) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": service.name,
            "aliases": "\n".join(service.aliases or []),
            "summary": service.summary,
            "category": service.category_id,
            "online_available": service.online_available,
            "booking_available": service.booking_available,
            "is_active": service.is_active,
        }
        if version is not None:
            initial.update(
                requirements="\n".join(
                    r["document"] + (f" -- {r['note']}" if r.get("note") else "")
                    for r in version.requirement_list()
                ),
                procedure="\n".join(version.procedure),
                completion_time_value=version.completion_time_value,
                completion_time_unit=version.completion_time_unit,
                fee_amount=version.fee_amount,
                extra_fields=json.dumps(version.extra_fields, ensure_ascii=False)
                if version.extra_fields
                else "",
                change_note=version.change_note if version.status == "draft" else "",
                **{
                    k: getattr(version, k)
                    for k in (
                        "fee_legal_basis",
                        "product",
                        "complaint_channel",
                        *cls.MANAGEMENT,
                    )
                },
            )
        return initial


class PublishForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Tanggal berlaku"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    change_note = forms.CharField(label=_("Catatan perubahan"), max_length=300, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas katalog (.xlsx atau .csv)"))
    dry_run = forms.BooleanField(label=_("Periksa saja, jangan simpan"), required=False)
