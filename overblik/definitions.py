"""Definitions of every measure, in Danish: one place, used by the help texts on the pages and by Om data."""

MEASURES: dict[str, tuple[str, str]] = {
    # key: (name, definition)
    "net_spending": (
        "Nettodriftsudgifter",
        "Kommunernes nettodriftsudgifter (regnskab) på de kontofunktioner, der hører til området "
        "(se tabellen Kontofunktioner), i mio. kr.",
    ),
    "fixed_prices": (
        "Faste priser",
        "Beløb omregnet til det seneste års prisniveau med pris- og lønindekset: beløb × indeks(seneste år) / indeks(år).",
    ),
    "per_inhabitant": (
        "Pr. indbygger",
        "Udgifter til børn og unge (inkl. specialundervisning af børn og unge) divideret med antal 0-17-årige; "
        "udgifter til voksne divideret med antal 18-64-årige. Folketal pr. 1. januar.",
    ),
    "rate_change": (
        "Takstudvikling",
        "Den gennemsnitlige ændring i takst (kr. pr. døgn/dag) fra året før for tilbud under rammeaftalen, "
        "vægtet med antal pladser. Sammenholdes med takstreglen for aftaleperioden.",
    ),
    "rate_rule": (
        "Takstregel",
        "2019-2022: taksterne må ikke stige, og de skal samlet falde med mindst 2 % over perioden. "
        "2025-26: taksterne må ikke stige. 2027-28: takstaftalen er erstattet af fire fælles principper.",
    ),
    "occupancy": (
        "Belægning",
        "Andel af pladserne, der er belagt, i %. Over 100 % betyder overbelægning. Gennemsnit vægtet med pladser.",
    ),
    "occupied_places": ("Belagte pladser", "Pladser × belægning / 100."),
    "capacity_gap": (
        "Mangel på pladser (kapacitetsgab)",
        "Efterspurgte pladser minus udbudte pladser, hvor efterspurgte pladser = belagte pladser + borgere, "
        "der venter på et tilbud. Et positivt tal betyder mangel; et negativt tal betyder ledige pladser. "
        "Gælder tilbud under rammeaftalen i målgruppen.",
    ),
    "difficulty": (
        "Oplevet vanskelighed",
        "Kommunens indberetning af, hvor svært det er at finde et tilbud til målgruppen: "
        "0 ingen, 1 lidt, 2 betydelige, 3 store vanskeligheder.",
    ),
    "notice_open": (
        "Åben central udmelding",
        "En central udmelding, hvor styrelsen endnu ikke har truffet endelig beslutning, eller hvor fornyet "
        "behandling afventer.",
    ),
    "initiative_status": (
        "Status for initiativ",
        "Den seneste status, sekretariatet har registreret: på sporet, risiko, forsinket, afsluttet eller ikke startet.",
    ),
    "changed_since": (
        "Ændret siden mødet",
        "Initiativer, hvis status er en anden nu end ved den valgte mødedato, og nye bemærkninger registreret efter mødet.",
    ),
}


def help_text(key: str) -> str:
    name, text = MEASURES[key]
    return f"**{name}:** {text}"
