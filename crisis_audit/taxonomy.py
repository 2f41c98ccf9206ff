"""The domain's fixed vocabulary: category ids, risk flags and crisis phases.

Definitions live in ``shared/taxonomy.md``; rule packs refer to these ids.
"""

from __future__ import annotations

CATEGORIES: dict[str, str] = {
    "reassurance": "#Réassurance",
    "pedagogy": "#Pédagogie",
    "safety": "#Sécurité",
    "adaptation": "#Adaptation",
    "confined_activities": "#Activitésconfinées",
    "positive_attitude": "#PositiveAttitude",
    "al_ouest": "#Al'Ouest",
    "engagement": "#Engagement",
    "humour": "#Humour",
    "creativity": "#Créativité",
    "contact": "#Contact",
}

FLAGS: tuple[str, ...] = (
    "business_as_usual",
    "unanswered_objections",
    "exploitation",
    "insensitive_humour",
    "anxiogenic_tone",
    "unsafe_invitation",
    "solidarity_washing",
    "stale_crisis_message",
)

PHASES: tuple[str, ...] = ("acute", "reprieve", "recovery", "none")

LANGUAGES: tuple[str, ...] = ("fr", "en")
