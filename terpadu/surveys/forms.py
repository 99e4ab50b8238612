"""The questionnaire form (built from the unit's items) and the follow-up plan form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.surveys.models import FollowUpPlan, SurveyResponse
from terpadu.surveys.questionnaire import Item


def _optional(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("— tidak ingin menjawab —")), *choices]


class QuestionnaireForm(forms.Form):
    age_band = forms.ChoiceField(
        label=_("Usia"), required=False, choices=_optional(SurveyResponse.AgeBand.choices)
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), required=False, choices=_optional(SurveyResponse.Sex.choices)
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"),
        required=False,
        choices=_optional(SurveyResponse.Education.choices),
    )
    occupation = forms.ChoiceField(
        label=_("Pekerjaan"), required=False, choices=_optional(SurveyResponse.Occupation.choices)
    )
    comment = forms.CharField(
        label=_("Saran dan masukan (opsional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Jangan menuliskan nama, NIK, atau nomor telepon."),
    )

    def __init__(self, *args: Any, items: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.code] = forms.ChoiceField(
                label=item.question,
                choices=[(str(v), item.labels[v - 1]) for v in (1, 2, 3, 4)],
                widget=forms.RadioSelect,
                required=True,
                error_messages={"required": _("Pilih salah satu jawaban.")},
            )

    def unsur_fields(self) -> list[tuple[Item, Any]]:
        return [(item, self[item.code]) for item in self.items]

    def profile_fields(self) -> list[Any]:
        return [self[name] for name in ("age_band", "sex", "education", "occupation")]


class PlanForm(forms.ModelForm):
    class Meta:
        model = FollowUpPlan
        fields = ["period", "unsur_code", "finding", "action", "responsible", "target_date"]
        widgets = {
            "target_date": forms.DateInput(attrs={"type": "date"}),
            "finding": forms.Textarea(attrs={"rows": 2}),
            "action": forms.Textarea(attrs={"rows": 3}),
        }
