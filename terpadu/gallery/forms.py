"""Forms of the office pages (labels in Indonesian; services do the real validation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.core.errors import DomainError
from terpadu.gallery.models import Award, Innovation, Measure, Stage, Theme


class InnovationForm(forms.ModelForm):
    agency: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Instansi"))  # type: ignore[arg-type]

    class Meta:
        model = Innovation
        fields = [
            "agency",
            "name",
            "tagline",
            "theme",
            "stage",
            "start_date",
            "problem",
            "how_it_works",
            "contact_name",
            "contact_role",
            "contact_email",
            "contact_phone",
            "is_public",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "problem": forms.Textarea(attrs={"rows": 4}),
            "how_it_works": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
        self.fields["theme"].choices = Theme.choices  # type: ignore[attr-defined]
        self.fields["stage"].choices = Stage.choices  # type: ignore[attr-defined]


class AwardForm(forms.Form):
    year = forms.IntegerField(
        label=_("Tahun (kosongkan bila tidak diketahui)"),
        min_value=1945,
        max_value=2100,
        required=False,
    )
    name = forms.CharField(label=_("Penghargaan"), max_length=200)
    giver = forms.CharField(label=_("Pemberi"), max_length=200)
    level = forms.ChoiceField(label=_("Tingkat"), choices=Award.Level.choices)
    source_url = forms.URLField(label=_("Tautan sumber"), required=False, assume_scheme="https")


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Foto (JPEG atau PNG)"))
    alt_text = forms.CharField(label=_("Teks alternatif"), max_length=200)
    caption = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class DocumentForm(forms.Form):
    document = forms.FileField(label=_("Dokumen (PDF, JPEG atau PNG)"))
    title = forms.CharField(label=_("Judul dokumen"), max_length=200)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis ukuran"), choices=Measure.Kind.choices)
    title = forms.CharField(label=_("Judul (boleh kosong)"), max_length=160, required=False)
    programme_code = forms.ChoiceField(label=_("Program jemput bola"), required=False)
    indicator_id = forms.ChoiceField(label=_("Indikator CETAR"), required=False)
    service: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Layanan"), required=False
    )  # type: ignore[arg-type]
    agency: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Instansi"), required=False
    )  # type: ignore[arg-type]
    pivot_date = forms.DateField(
        label=_("Tanggal pembanding sebelum/sesudah"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, region: Any, **kwargs: Any) -> None:
        from terpadu.catalog.models import Service
        from terpadu.cetar.indicators import INDICATORS
        from terpadu.core.models import Agency
        from terpadu.outreach.programmes import all_specs

        super().__init__(*args, **kwargs)
        self.fields["programme_code"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s.code, s.name) for s in all_specs()
        ]
        self.fields["indicator_id"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (i.id, i.name_id) for i in INDICATORS
        ]
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            region=region
        ).order_by("name")
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            region=region
        ).order_by("name")


class ManualFigureForm(forms.Form):
    label = forms.CharField(label=_("Keterangan angka"), max_length=200)
    value = forms.CharField(label=_("Nilai"), max_length=30)
    unit = forms.CharField(label=_("Satuan"), max_length=30, required=False)
    period_label = forms.CharField(label=_("Periode"), max_length=60)
    source = forms.CharField(label=_("Sumber (wajib)"), max_length=200)
    source_url = forms.URLField(label=_("Tautan sumber"), required=False, assume_scheme="https")


def apply_errors(form: forms.BaseForm, error: DomainError) -> None:
    """Put a service's field errors on the form (unknown fields become form errors)."""
    for item in error.errors:
        name = item.field if item.field in form.fields else None
        form.add_error(name, item.message)
    if not error.errors:
        form.add_error(None, error.message)
