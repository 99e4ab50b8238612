"""HTML forms: they parse and render; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.complaints import selectors
from terpadu.core.models import Region


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [item for item in items if item]


class ComplaintForm(forms.Form):
    """The phone-first complaint form (web and counter)."""

    text = forms.CharField(
        label=_("Apa masalahnya?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_("Ceritakan apa yang terjadi, kapan, dan di mana. Paling banyak 3000 huruf."),
        error_messages={"required": _("Ceritakan masalahnya, paling sedikit 10 huruf.")},
    )
    village = forms.TypedChoiceField(
        label=_("Desa/kelurahan lokasi masalah"),
        coerce=int,
        error_messages={"required": _("Pilih desa/kelurahan lokasi masalah.")},
    )
    address = forms.CharField(
        label=_("Patokan lokasi (opsional)"),
        required=False,
        max_length=1000,
        help_text=_("Misalnya nama jalan, RT/RW, atau bangunan di dekatnya."),
    )
    lat = forms.CharField(label=_("Lintang (opsional)"), required=False, max_length=40)
    long = forms.CharField(label=_("Bujur (opsional)"), required=False, max_length=40)
    agency = forms.TypedChoiceField(
        label=_("Instansi yang dituju (jika tahu)"), coerce=int, required=False, empty_value=None
    )
    category = forms.TypedChoiceField(
        label=_("Kategori (jika tahu)"), coerce=int, required=False, empty_value=None
    )
    photos = MultipleFileField(
        label=_("Foto (opsional, JPEG/PNG, paling banyak 3)"), required=False
    )
    reporter_name = forms.CharField(label=_("Nama Anda"), required=False, max_length=1000)
    reporter_phone = forms.CharField(
        label=_("Nomor HP"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    reporter_email = forms.CharField(
        label=_("Surel (opsional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim: sembunyikan identitas saya dari instansi dan publik"), required=False
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia: jangan tampilkan pengaduan ini di daftar publik"), required=False
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        village_field = self.fields["village"]
        assert isinstance(village_field, forms.ChoiceField)
        village_field.choices = [
            ("", _("— pilih desa/kelurahan —")),
            *[(district, choices) for district, choices in selectors.villages_by_district(region)],
        ]
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ChoiceField)
        agency_field.choices = [
            ("", _("— tidak tahu —")),
            *[(a.pk, a.name) for a in selectors.agencies_for(region)],
        ]
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [
            ("", _("— tidak tahu —")),
            *[(c.pk, c.name) for c in selectors.categories_for(region)],
        ]


class DisposeForm(forms.Form):
    agency = forms.TypedChoiceField(label=_("Teruskan ke instansi"), coerce=int)
    category = forms.TypedChoiceField(
        label=_("Kategori"), coerce=int, required=False, empty_value=None
    )
    is_confidential = forms.BooleanField(label=_("Rahasia"), required=False)
    is_anonymous = forms.BooleanField(label=_("Anonim"), required=False)
    note = forms.CharField(
        label=_("Catatan verifikasi (opsional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ChoiceField)
        agency_field.choices = [(a.pk, a.name) for a in selectors.agencies_for(region)]
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [
            ("", _("— tanpa kategori (5 hari kerja) —")),
            *[
                (c.pk, f"{c.name} ({c.follow_up_days} hari kerja)")
                for c in selectors.categories_for(region)
            ],
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Tanggapan / tindak lanjut"), widget=forms.Textarea(attrs={"rows": 5})
    )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Gabungkan ke pengaduan nomor"),
        max_length=20,
        help_text=_("Nomor publik, misalnya ADU-12."),
    )
