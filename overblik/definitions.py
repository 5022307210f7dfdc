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
        "Beløb omregnet til det seneste års prisniveau med pris- og lønindekset for kommunernes serviceudgifter "
        "(PL-indekset, tabellen Prisindeks): beløb × indeks(seneste år) / indeks(år).",
    ),
    "per_inhabitant": (
        "Pr. indbygger",
        "Udgifter til børn og unge (inkl. specialskoler) divideret med antal 0-22-årige, som i de kommunale "
        "nøgletal for udsatte børn og unge (FLIS), fordi foranstaltninger for unge kan løbe til 22 år; udgifter "
        "til voksne (inkl. specialpædagogisk bistand til voksne og STU for 16-25-årige) divideret med antal "
        "18-64-årige. At specialskolerne og STU regnes med i de to grupper, er dashboardets valg. Folketal pr. "
        "1. januar.",
    ),
    "rate_change": (
        "Takstændring",
        "Den gennemsnitlige ændring i takst (kr. pr. døgn for døgntilbud, pr. dag for dagtilbud og "
        "specialskoler) fra niveauet året før aftaleperioden for tilbud under rammeaftalen, vægtet med antal "
        "pladser, i periodens prisgrundlag. Sammenholdes med takstreglen, sammen med antallet af tilbud over "
        "reglen.",
    ),
    "rate_rule": (  # the numbers are data: rate_rule_help() writes each period's rule from the agreements table
        "Takstregel",
        "Hver aftaleperiodes regel for taksterne, som den står i tabellen Aftaleperioder: den største tilladte "
        "ændring fra niveauet året før perioden og den mindste reduktion fra det niveau til periodens sidste år. "
        "Prisgrundlaget (faste eller løbende priser) er dashboardets læsning, for aftaleteksterne nævner det "
        "ikke. Perioder med samme regel i træk regnes som én takstaftale.",
    ),
    "rate_index": (
        "Takstniveau mod året før perioden",
        "For hvert tilbud: taksten i året divideret med tilbuddets takst året før aftaleperioden (i faste priser "
        "renset med pris- og lønindekset), minus 1. Gennemsnittet vægtes med pladserne i året og tager kun "
        "tilbud med takst i begge år, så nye og lukkede tilbud ikke flytter kurven.",
    ),
    "rate_breach": (
        "Over takstreglen",
        "Et tilbud, hvis takst i et år af perioden lå over tilbuddets niveau året før perioden (for 2019-2022: "
        "2018, for 2025-26: 2024), eller som i periodens sidste år ikke var faldet med det krævede fra det "
        "niveau. Et tilbud uden takst året før perioden kan ikke vurderes.",
    ),
    "extra_services": (
        "Tillægsydelser",
        "Ydelser, som et tilbud sælger ud over taksten (fx ekstra personale til en borger), som de står i "
        "tilbuddenes regnskab, lagt sammen pr. driftsherre, i mio. kr. (løbende priser).",
    ),
    "budget_deviation": (
        "Afvigelse fra budget",
        "Regnskab minus budget for samme år, i mio. kr. og i % af budgettet. Et positivt tal betyder, at "
        "udgifterne blev højere end budgetteret.",
    ),
    "regional_average": (
        "Regionsgennemsnit",
        "Alle regionens kommuners udgifter divideret med alle kommunernes indbyggere i aldersgruppen; altså ikke et "
        "gennemsnit af kommunernes tal.",
    ),
    "surplus_deficit": (
        "Over- og underskud",
        "Tilbuddenes over- (+) eller underskud (−) i året, lagt sammen pr. driftsherre (den kommune eller "
        "region, der driver tilbuddene), i mio. kr. Et underskud opstår typisk, når belægningen er lavere "
        "end den budgetterede.",
    ),
    "occupancy": (
        "Belægning",
        "Andel af pladserne, der er belagt, i %. Over 100 % betyder overbelægning. Gennemsnit vægtet med pladser.",
    ),
    "occupied_places": ("Belagte pladser", "Pladser × belægning / 100."),
    "capacity_gap": (
        "Manglende eller ledige pladser",
        "Efterspurgte pladser minus udbudte pladser, hvor efterspurgte pladser = belagte pladser + borgere, "
        "der venter på et tilbud. Alle tal er hele pladser: belagte pladser = pladser × belægning / 100 lagt "
        "sammen for målgruppens tilbud og derefter rundet ned (en rest på under én plads tæller ikke som belagt; "
        "to tilbud med hver en halv plads belagt hele året giver én belagt plads). En målgruppe "
        "mangler pladser, når mindst én hel plads mangler; et negativt tal betyder ledige pladser. Gælder "
        "tilbud under rammeaftalen i målgruppen. De ventende borgere kommer fra kommunernes indberetning: uden "
        "indberetning for målgruppen kan pladstallet ikke opgøres (vist som –, »ikke indberettet«), mens "
        "udbudte pladser og belægning stadig vises. Har kun nogle af de valgte kommuner indberettet (fx 18 af "
        "19), tæller kun deres ventende borgere, mens pladserne og belægningen er alle de valgte kommuners "
        "tilbud: der kan da mangle flere pladser end vist. Pladstallet er ét signal ved siden af kommunernes "
        "indberetning: efterspørgsel handler ikke kun om antallet af pladser, men om at tilbudsviften "
        "fagligt afspejler det, der efterspørges (Rammeaftale 2027-28).",
    ),
    "lacks_suitable": (
        "Mangler egnede tilbud",
        "Mindst halvdelen af de kommuner, der har indberettet, oplever betydelige eller store vanskeligheder "
        "(2 eller 3) med at finde et tilbud til målgruppen. Gælder uanset ledige pladser: en målgruppe kan "
        "have ledige pladser og alligevel mangle egnede tilbud, fordi pladserne ikke passer til borgernes "
        "behov (Rammeaftale 2027-28: »Fælles for målgrupperne er, at der ofte opleves mangel på egnede "
        "tilbud«). Indberettes fra den fælleskommunale afdækning i starten af 2026. En målgruppe uden "
        "indberetning tælles hverken som en, der mangler, eller som en, der ikke mangler egnede tilbud: "
        "»2 af 5« betyder 2 af de 5 målgrupper med indberetning.",
    ),
    "reports": (
        "Indberetning",
        "Kommunerne indberetter pr. målgruppe og år (vanskeligheder, borgere i private tilbud, "
        "enkeltmandsforanstaltninger og ventende borgere). Har ingen af de valgte kommuner indberettet for en "
        "målgruppe, er den »ikke indberettet« det år: dens tal mangler og vises som –, ikke som 0, og den "
        "tælles ikke med i summerne. Har kun nogle af de valgte kommuner indberettet (fx 18 af 19), tæller "
        "vanskeligheder og borgere kun deres indberetning, og det står ved tallene; pladstallet regner pladserne "
        "i alle de valgte kommuners tilbud mod de ventende borgere i de kommuner, der har indberettet, så der "
        "kan mangle flere pladser end vist. Ændringer fra året før sammenligner kun det "
        "samme: borgerne over de kommuner og målgrupper, der har indberettet begge år; målgrupper, der mangler "
        "egnede tilbud, over målgrupper med indberetning begge år; manglende pladser over målgrupper, som de "
        "samme kommuner har indberettet begge år. Kan intet sammenlignes, står der det.",
    ),
    "demanded_places": (
        "Efterspurgte pladser",
        "Belagte pladser + borgere, der venter på et tilbud, i målgruppen.",
    ),
    "shortage_total": (
        "Manglende pladser i alt",
        "Summen af de hele manglende pladser i de målgrupper, der mangler pladser, så delene lægger sig "
        "sammen til totalen. Ledige pladser i én målgruppe modregnes ikke i en anden. Målgrupper uden "
        "indberetning tæller ikke med (deres pladstal kan ikke opgøres). Har kun nogle af de valgte kommuner "
        "indberettet, er summen mindst det viste: de øvrige kommuners ventende borgere mangler.",
    ),
    "citizens_waiting": (
        "Ventende borgere",
        "Borgere, som kommunerne har indberettet venter på et tilbud i målgruppen.",
    ),
    "placed_private": (
        "Borgere i private tilbud",
        "Borgere i målgruppen, som kommunerne har i private tilbud (uden for rammeaftalens tilbud): for børn "
        "og unge anbragt i private tilbud, for voksne borgere i private botilbud og andre private tilbud.",
    ),
    "single_arrangements": (
        "Enkeltmandsforanstaltninger",
        "Tilbud skabt til én borger, fordi der ikke fandtes et egnet tilbud; ofte dyre.",
    ),
    "below_budget": (
        "Under budget (risiko for underskud)",
        "Tilbuddets belægning er lavere end den budgetterede belægning, som taksten er beregnet ud fra.",
    ),
    "over_occupancy": (
        "Overbelægning",
        "Tilbuddets belægning er over 100 %: flere borgere end pladser.",
    ),
    "difficulty": (
        "Oplevet vanskelighed",
        "Kommunens indberetning af, hvor svært det er at finde et tilbud til målgruppen: "
        "0 ingen, 1 lidt, 2 betydelige, 3 store vanskeligheder.",
    ),
    "notice_open": (
        "Åben central udmelding",
        "En central udmelding, hvor den nationale styrelses (Socialstyrelsen / Social- og Boligstyrelsen) "
        "vurdering for regionen afventer: kommunerne har svaret, og styrelsen har endnu ikke truffet "
        "beslutning, fx efter en fornyet behandling.",
    ),
    "notice_unknown": (
        "Udfald ukendt",
        "En central udmelding, som er afrapporteret, men hvor udfaldet ikke er fundet i offentlige kilder. "
        "Den tælles for sig: hverken som åben (der afventes ikke noget kendt) eller som afsluttet med et udfald.",
    ),
    "initiative_status": (
        "Status for initiativ",
        "Den seneste status, sekretariatet har registreret: på sporet, risiko, forsinket, afsluttet eller ikke startet.",
    ),
    "changed_since": (
        "Ændret siden mødet",
        "Initiativer, hvis status er en anden nu end ved den valgte mødedato, og nye bemærkninger registreret efter "
        "mødet. Status ved mødet er den, mødet så: i det datasæt, der var aktuelt på mødedatoen.",
    ),
    "initiative_overdue": (
        "Overskredet frist",
        "Initiativer, hvis frist er passeret, uden at de er afsluttet.",
    ),
    "notice_latest_decision": (
        "Seneste beslutning",
        "Den afsluttede centrale udmelding med den seneste beslutningsdato. Datoer angives så præcist, "
        "som kilderne gør (år, måned eller dag).",
    ),
    "notice_next_event": (
        "Næste eller afventende hændelse",
        "Blandt de åbne udmeldinger: en hændelse med dato efter i dag, hvis der er en; ellers den åbne "
        "udmelding med den seneste hændelse, som afventer styrelsens beslutning.",
    ),
    "spending_change": (
        "Ændring fra året før",
        "Nettodriftsudgifterne (regnskab) i det seneste år i perioden med regnskab sammenlignet med året før, "
        "begge i faste priser, i %.",
    ),
    "groups_short": (
        "Målgrupper med mangel på pladser",
        "Antal målgrupper, hvor efterspurgte pladser (belagte pladser + ventende borgere) overstiger de "
        "udbudte pladser under rammeaftalen med mindst én hel plads i det seneste år i perioden med data, ud "
        "af målgrupperne med indberetning i det valgte område. Tilbud tæller i den kommune, hvor de ligger; "
        "ventende borgere i "
        "den kommune, der har indberettet dem.",
    ),
    "changed_since_last_meeting": (
        "Ændret siden sidste møde",
        "Initiativer, hvis status i dag er en anden end ved sidste møde: det seneste møde før i dag i DASSOS "
        "eller KKR, medmindre du vælger et andet møde (samme valg som på siden Handlingsplan). Status ved "
        "mødet er den, mødet så: seneste opdatering på eller før mødedatoen i det datasæt, der var aktuelt "
        "på mødedatoen.",
    ),
}


def help_text(key: str) -> str:
    name, text = MEASURES[key]
    return f"**{name}:** {text}"


# The price basis a rate rule is measured in is the dashboard's reading (agreements.rate_price_basis): the
# agreement texts say »Taksterne kan ikke stige i perioden« and name no price basis.
PRICE_BASIS_NOTE = (
    "Aftaleteksterne nævner ikke prisgrundlaget; dashboardet måler reglen i {basis} priser (tabellen "
    "Aftaleperioder), så almindelig pris- og lønudvikling ikke tæller som en stigning."
)


def rate_rule_help(periods) -> str:
    """The 'rate_rule' help text with every period's rule written out from the agreements table:
    periods = overblik.rates.rule_periods(agreements); no percentage is written here."""
    rules = " ".join(f"{p.label}: {p.sentence()}." for p in periods)
    bases = " og ".join(sorted({p.price_basis for p in periods if p.has_rule}))
    basis = f" {PRICE_BASIS_NOTE.format(basis=bases)}" if bases else ""
    return f"**{MEASURES['rate_rule'][0]}:** {rules}{basis}"
