"""UK and US terminology. Every learner-facing message takes its terms from here."""

from __future__ import annotations

from pydantic import Field

from goalstudio._model import StrictModel
from goalstudio._vocabulary import LOCALES, LocaleCode


class Locale(StrictModel):
    """The words a locale uses for the same roles and documents."""

    code: LocaleCode
    country: str = Field(description="whose terms these are, as a learner names it: UK or US")
    care_plan: str = Field(description="the plan document")
    care_coordinator: str
    carer: str
    service_user: str = Field(description="how the system names the person it serves")
    mental_health_team: str
    review_meeting: str
    compulsory_treatment: str

    def term(self, key: str) -> str:
        """A term by its key; ``KeyError`` lists the keys that exist."""
        data = self.model_dump()
        if key == "code" or key not in data:
            keys = ", ".join(k for k in data if k != "code")
            raise KeyError(f"no term '{key}'; known terms: {keys}")
        return str(data[key])


_LOCALES: dict[str, Locale] = {
    "en-GB": Locale(
        code="en-GB",
        country="UK",
        care_plan="care plan",
        care_coordinator="care co-ordinator",
        carer="carer",
        service_user="service user",
        mental_health_team="community mental health team",
        review_meeting="CPA review",
        compulsory_treatment="community treatment order",
    ),
    "en-US": Locale(
        code="en-US",
        country="US",
        care_plan="treatment plan",
        care_coordinator="case manager",
        carer="family member",
        service_user="person served",
        mental_health_team="community mental health center",
        review_meeting="treatment plan review",
        compulsory_treatment="assisted outpatient treatment order",
    ),
}


def get_locale(code: str) -> Locale:
    """The terminology for ``en-GB`` or ``en-US``; ``ValueError`` names the choices."""
    try:
        return _LOCALES[code]
    except KeyError:
        raise ValueError(f"unknown locale '{code}': choose one of {', '.join(LOCALES)}") from None
