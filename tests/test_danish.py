"""The Danish lexicon and the one question classifier: what a question asks for, and whether a text holds it."""

from __future__ import annotations

import pytest

from rag.danish import (
    NUMBER,
    OTHER,
    PERCENT,
    PERSON,
    PLACE,
    TIME,
    TIME_WORD,
    YEAR,
    age_fits,
    answer_holds_kind,
    asks_compound,
    asks_price,
    classify_question,
    complete_ellipsis,
    compound_head,
    count_numbers,
    counted_nouns,
    holds_kind,
    holiday_dates,
    indefinite,
    leans_on_context,
    mentions_person,
    month_number,
    names_missing,
    narrower_role,
    opposition_unanswered,
    priced_thing,
    restore_case,
    role_statement,
    roles_missing,
    sole_expression_of_kind,
    titled_for_name,
    verb_root,
    whole_names_found,
    widen_time,
    widen_to_date,
    with_clock,
    with_conjuncts,
    with_context,
    with_range,
    with_recurrence,
    years_missing,
)


@pytest.mark.parametrize(
    ("question", "kind", "checked"),
    [
        ("Hvor mange Familiehuse skal der etableres?", NUMBER, True),
        ("hvor store er udgifterne?", NUMBER, True),
        ("Hvor gammel var han, da han døde?", NUMBER, True),
        ("Hvor lang er broen?", NUMBER, True),
        ("Hvor længe varede krigen?", NUMBER, True),
        ("I 2002, hvor mange soldater var der?", NUMBER, True),
        ("Hvilket antal sager blev afsluttet?", NUMBER, True),
        ("Hvor meget koster billetten?", NUMBER, True),
        ("Hvad koster det at være juniormedlem?", NUMBER, True),  # a price
        ("Hvad koster det, hvis jeg ikke kommer?", NUMBER, True),  # "hvis" after a clause is "if"
        ("Hvor meget koster det hvis jeg glemmer at melde afbud?", NUMBER, True),
        ("Hvornår lukker hallen, hvis det sner?", TIME, True),
        ("Hvis bil holdt på pladsen?", OTHER, False),  # "whose", where a question opens
        ("Hvad skal jeg betale for at vaske en maskine?", NUMBER, True),
        ("Hvad var prisen for en reklame?", NUMBER, True),
        ("Hvad er affaldsgebyret for et parcelhus?", NUMBER, True),
        ("Hvor meget skal jeg betale i depositum?", NUMBER, True),
        ("Hvilken pris har Marlee Matlin vundet?", OTHER, False),  # a prize, not a price
        ("Hvad er Nobelprisen opkaldt efter?", OTHER, False),
        ("Hvad er tilmeldingsfristen?", TIME, True),
        ("Hvor dyr er billetten?", NUMBER, True),  # a price, not a place
        ("Hvad er fristen for at søge sommerferie?", TIME, True),
        ("Hvilket klokkeslæt åbner butikken?", TIME, True),
        ("Hvad er åbningstiden om lørdagen?", TIME, True),
        ("Hvor meget er terra preta fordelt over Amazonskoven?", NUMBER, False),  # a degree as often
        ("Hvor mange procent er sagerne steget med?", PERCENT, True),
        ("Hvilken procentdel af munkene døde?", PERCENT, True),
        ("Hvornår træder loven i kraft?", TIME, True),
        ("Hvilken dato blev nyheden offentliggjort?", TIME, True),
        ("I hvilket århundrede levede han?", TIME, True),
        ("Hvilket år blev Socialstyrelsen oprettet?", YEAR, True),
        ("I hvilket år fik Malaysia sin uafhængighed?", YEAR, True),
        ("Hvem er borgmester i Sorø Kommune?", PERSON, False),
        ("Hvilken organisation står bag?", PERSON, False),
        ("Hvor ligger Science Village?", PLACE, False),
        ("I hvilken by ligger rådhuset?", PLACE, False),
        ("Hvad er en Hauptlied?", OTHER, False),
        ("Hvorfor blev reformen vedtaget?", OTHER, False),
        ("Hvilken artikel bad ministeren om at kommentere?", OTHER, False),
        # the last question word governs
        ("Da NASA ikke vidste, hvor mange forsøg der skulle til, hvad brugte de så?", OTHER, False),
        ("Hvor mange bor i byen, hvor han blev født?", OTHER, False),  # a relative "hvor"
        ("", OTHER, False),
        ("Fortæl om reformen", OTHER, False),
        # typed as into a search box: no question word
        ("Pris for farve i langt hår hos Saksen?", NUMBER, True),
        ("prisen på en kagemand til 15 personer", NUMBER, True),
        ("glasklart velux vindue ind og udvendigt pris", NUMBER, True),  # "pris" last
        ("velux pris?", NUMBER, True),
        ("morgenmad pris", NUMBER, True),
        ("indgår morgenmad i prisen", OTHER, False),  # yes/no about the price (a review)
        ("hunde tilladt ekstra pris", OTHER, False),
        # an indirect question after "om" is the object of the one that opens the sentence
        ("hvornår skal vi senest give besked om hvor mange vi bliver", TIME, True),
        ("Hvad var uenigheden om hvornår krigen sluttede?", OTHER, False),
        ("I 2002, hvor mange boede der?", NUMBER, True),  # not after "om": the last one still governs
        ("er der rabat på prisen", OTHER, False),  # a yes/no question
        ("Prisen på kaffe, kan den betales med MobilePay?", OTHER, False),
        ("sidste frist for tilmelding til sommerlejren", TIME, False),  # "senest den første dag i måneden"
        ("Hvilke dage er han med på lejren?", TIME, False),  # "alle skoledage", holidays by name
        # a clause after it: a yes/no question, not a price or a deadline (a review)
        ("Prisen for kontingentet, er den inklusiv forsikring?", OTHER, False),
        ("Fristen for tilmelding er overskredet, kan jeg stadig komme med?", OTHER, False),
        # what a business charges, and a deadline asked bare (eval/trial26, written blind)
        ("min perser skal børstes mens vi er væk, hvad tager pelsen for det", NUMBER, True),
        ("hvad tager han for kørsel", NUMBER, True),
        ("hvad tager han med på turen", OTHER, False),
        ("jeg er uenig med kommunen, hvad er sidste frist", TIME, True),
    ],
)
def test_classify_question(question, kind, checked):
    found = classify_question(question)
    assert (found.kind, found.checked) == (kind, checked)


@pytest.mark.parametrize(
    ("kind", "sentence", "question", "ok"),
    [
        (NUMBER, "Der skal etableres 50 Familiehuse.", "", True),
        (NUMBER, "Kommunen ansætter tre nye medarbejdere.", "", True),
        (NUMBER, "Der skal etableres Familiehuse i hele landet.", "", False),
        (NUMBER, "Reformen blev vedtaget den 11. maj.", "", False),  # a date is not a quantity
        (NUMBER, "Planen fra marts 2022 er godkendt.", "", False),
        (NUMBER, "Artiklen fra TV2 Fyn den 29. marts 2022 nævner det.", "", False),
        (NUMBER, "Den 29. marts 2022 ansatte de 12 medarbejdere.", "", True),
        (NUMBER, "Spørgsmål nr. 338 blev besvaret.", "Hvor mange svar fik spørgsmål nr. 338?", False),
        (NUMBER, "Svømmehallen har et 25-meter bassin.", "", False),  # a measure inside a name
        (NUMBER, "Kapitel 3 handler om svømning.", "", False),
        (NUMBER, "Svømmehallen har et 25-meter bassin med 8 baner.", "", True),
        (PERCENT, "Sagerne steg med 12 procent.", "", True),
        (PERCENT, "Sagerne steg med 12 %.", "", True),
        (PERCENT, "Sagerne steg med 12 sager.", "", False),
        (PERCENT, "Antallet af sager er steget.", "", False),
        (TIME, "Hun kommer mandag den 22. april.", "", True),
        (TIME, "Loven trådte i kraft i 2021.", "", True),
        (TIME, "Det skete i det 10. århundrede.", "", True),
        (TIME, "Mødet holdes tirsdagen efter valget.", "", True),  # inflected weekdays
        (TIME, "Det står i mandagens avis.", "", True),
        (TIME, "Der er åbent i weekenden.", "", True),
        (TIME, "Det skal ske ved en ny Barnets Lov.", "", False),
        # a date of another year than the one asked about answers another question
        (TIME, "Julefrokosten holdes lørdag den 6. december 2024.", "Hvornår er julefrokosten i 2025?", False),
        (TIME, "Sæsonen begynder lørdag den 12. april 2025.", "Hvornår begynder sæsonen i 2025?", True),
        (TIME, "Julefrokosten holdes første lørdag i december.", "Hvornår er julefrokosten i 2025?", True),
        (TIME, "Det skete i maj 1974.", "Hvornår i 1970'erne skete det?", True),
        (TIME, "Kontingentet på 1500 kr. betales senest 1. marts.", "Hvornår betales kontingentet i 2025?", True),
        (TIME, "Sæsonen 2024/25 slutter 30. april.", "Hvornår slutter sæsonen i 2025?", True),
        (YEAR, "I juli 1960, annoncerede NASA programmet.", "", True),
        (YEAR, "Malaysia blev uafhængigt i 1957.", "", True),
        (YEAR, "Det skete i 1970'erne.", "", True),
        (YEAR, "Reformen blev vedtaget den 11. maj.", "", False),  # a day is not a year
        (YEAR, "Loven fra 2021 blev ændret.", "Hvilket år blev loven fra 2021 ændret?", False),
        (None, "Hvad som helst.", "", True),
        (OTHER, "Hvad som helst.", "", True),
    ],
)
def test_holds_kind(kind, sentence, question, ok):
    assert holds_kind(sentence, kind, question) is ok


@pytest.mark.parametrize(("question", "sentence", "ok"), [
    ("Hvad koster en pensionistbillet?", "Pensionist | 40 kr.", True),  # the compound's first part
    ("Hvad koster en pensionistbillet?", "Leje af håndklæde koster 15 kr.", False),  # the price of something else
    ("Hvad koster en billet?", "Voksenbillet 55 kr.", True),  # the compound's last part
    ("Hvor meget skal jeg betale for parkering?", "Parkering koster 20 kr. i timen.", True),
    ("Hvor meget skal jeg betale for parkering?", "Opladning koster 2,75 kr. pr. kWh.", False),
    ("Hvad koster en pensionistbillet?", "40 kr.", True),  # an amount alone names nothing else
    ("Hvad er huslejen?", "Huslejen er 6.500 kr. om måneden.", True),
    ("Hvad er huslejen?", "Junior (under 18 år) | 750 kr.", False),  # a price, but not the rent
    ("Hvad koster affaldsgebyret for et parcelhus?", "Affaldsgebyret for en enfamiliebolig er 3.285 kr.", True),
    # the thing itself, not any word the question shares: a similar item's price is no answer
    ("hvad koster en ny forlygte monteret hos cykelsmeden", "Ny slange inkl. montering | 175 kr.", False),
    ("Hvad koster en ekstra papirbeholder om året?", "Ekstra beholder til restaffald og madaffald: 890 kr. om året.",
     False),
    ("Hvad koster det at leje sengelinned til sommerhuset?", "Halvdelen af lejen, 4.450 kr., betales ved booking.",
     False),
    ("Hvad koster en ekstra papirbeholder om året?", "Ekstra papirbeholder: 450 kr. om året.", True),
    ("Hvad koster violinundervisning pr semester?", "Violin, soloundervisning | 30 min. | 2.480 kr.", True),
    ("Hvad koster en times arbejde på bilen?", "Timepris, mekanisk arbejde | 745 kr.", True),
    # five shared letters are no thing, nor is whose it is, unless the price is per it
    ("Hvad koster sommerlejren?", "Sommerfesten koster 50 kr. for voksne.", False),
    ("Hvad koster klubbens kontingent?", "Klubbens nye spillertrøje koster 400 kr.", False),
    ("Hvad koster spejdernes sommerlejr pr. barn?", "Pris: 1.650 kr. pr. spejder", True),
    # a generic head is named by what it is of; a measure or an adjective is no thing
    ("Hvad koster en plads i vuggestuen?", "Vuggestue: 4.100 kr. om måneden.", True),
    ("Hvad koster en kop kaffe?", "Kaffe og te: 25 kr.", True),
    ("Hvad koster det årlige kontingent?", "Kontingentet er 900 kr. om året.", True),
    ("Hvad koster det per person?", "Prisen er 250 kr. pr. person.", True),
    # a hyphenated word, and its abbreviation by the first letter
    ("Hvad koster en p-plads?", "En p-plads koster 350 kr. pr. måned.", True),
    ("Hvad koster det at leje en parkeringsplads?", "Lejerne lejer p-plads nr. 17 i gården for 350 kr.", True),
    ("Hvad koster en p-plads?", "Et pladsgebyr koster 350 kr.", False),
])
def test_a_price_names_what_is_priced(question: str, sentence: str, ok: bool) -> None:
    assert holds_kind(sentence, classify_question(question), question) is ok


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [
        ("Junior (under 18 år) | 750 kr.", True),
        ("Det koster kr. 1.200 om året.", True),
        ("Lokalerne kostede 4,5 mio. kr.", True),
        ("En reklame kostede 5 millioner dollars.", True),
        ("Leje af grill: 150,-", True),
        ("Adgang er gratis for medlemmer.", True),
        ("Campingvogne må højst holde der i 48 timer.", False),  # a number, but no amount of money
        ("Klubben har 420 medlemmer.", False),
        ("Vejledningen gælder NordVarme AW-8 koster.", False),
        ("Den koster 9 kr. at starte.", True),
        ("Billetten koster 5 mill. kr.", True),
        ("Prisen er 12 EUR.", True),
        ("En billet koster tyve kroner.", True),
        ("Entré 1 200 kr.", True),
        ("Pakken vejer 2 pund.", False),  # a weight
    ],
)
def test_a_price_question_asks_for_an_amount_of_money(sentence, ok):
    for question in ("Hvad koster en NordVarme AW-8?", "Hvor meget koster det?", "Hvad skal jeg betale?",
                     "Hvad skal jeg så betale?"):  # nothing priced but by name
        kind = classify_question(question)
        assert asks_price(kind)
        assert holds_kind(sentence, kind, question) is ok
    question = "Koster den stadig 8 kr., hvad koster den så nu?"  # the amount the question gives is no answer
    assert not holds_kind("Den kostede 8 kr.", classify_question(question), question)
    assert not asks_price(classify_question("Hvor meget vejer den?"))
    assert not asks_price(classify_question("Hvor mange medlemmer har klubben?"))


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Min skraldedag er juledag – hvornår?", ["25. december"]),
        ("Er der åbent 2. juledag og nytårsaften?", ["26. december", "31. december"]),
        ("Hvad sker der anden  juledag?", ["26. december"]),  # any spacing
        ("Hvad spiser vi til juledagsmiddagen?", []),  # a word that begins with a holiday is none
        ("Er der tømning 2. juledagen?", ["26. december"]),  # inflected: not "juledagen", the 25th
        ("Hvad sker der 2.juledag og juleaftenen?", ["26. december", "24. december"]),
        ("Er der åbent VALENTİNSDAG?", ["14. februar"]),  # a dotted capital İ folds to two characters
        ("Holder butikken lukket i påsken?", []),  # a movable feast has no fixed date
    ],
)
def test_holiday_dates(text, dates):
    assert holiday_dates(text) == dates


def test_holds_kind_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown question kind"):
        holds_kind("x", "colour")


def test_count_numbers_leave_out_dates_measures_and_the_question():
    assert count_numbers("Den 1. september 2024 åbnede et 25-meter bassin med 8 baner.") == ["8"]
    assert count_numbers("Der var 5 deltagere i 2002.", "I 2002, hvor mange deltagere var der?") == ["5"]


def test_time_words_and_months():
    for text in ("i weekenden", "tirsdagen", "mandagens møde", "om sommeren", "i 1990'erne", "kl. 14"):
        assert TIME_WORD.search(text), text
    assert month_number("Sept.") == 9 and month_number("maj") == 5 and month_number("mandag") is None


def test_mentions_person():
    assert mentions_person("Prisen gik til Karen Blixen.")
    assert mentions_person("Det blev besluttet af borgmesteren.")
    assert not mentions_person("det blev besluttet i går.")


@pytest.mark.parametrize(
    ("question", "sentence", "ok"),
    [
        ("Hvor mange Familiehuse skal der etableres?", "Der skal etableres 50 nye Familiehuse.", True),
        ("Hvor mange Familiehuse skal der etableres?", "Familiehusene får 200 mio. kr.", True),
        ("Hvor mange børnesager har Ishøj om året?",
         "Stigningen i børnesager, man har set på landsplan gennem de seneste 10-15 år, skyldes noget andet.", False),
        ("Hvor mange Familiehuse skal der etableres?", "Et bredt flertal står bag reformen med Familiehuse.", False),
        ("Hvor mange bor i Ishøj?", "Ishøj har 23.000 indbyggere.", True),  # what is counted is not named
        ("Hvor mange rivaliserende fyrster var med?", "Han blev dræbt af fem fyrster fra en rivaliserende fraktion.",
         True),  # the noun after an adjective is what is counted
        ("Hvor mange studerende går på skolen?", "Skolen har 300 studerende.", True),  # a noun that looks like one
        # a verb after the counted noun is never what is counted
        ("Hvor mange tårne står på slottet?", "Slottets tårne er berømte, og foran står 2 kanoner.", False),
        ("Hvor mange rejsende tog toget i 2019?", "De rejsende klagede, da toget var 45 minutter forsinket.", False),
        # a modal after "hvor mange" counts people, whatever noun the sentence gives them
        ("hvor mange må besøge en patient på én gang",
         "Af hensyn til patienten må der højst være 4 besøgende på stuen ad gangen.", True),
        # … and no duration, share or amount is a number of people
        ("hvor mange kan man være i fængselsflugten", "Rekorden i Fængselsflugten er 38 min 12 sek.", False),
        ("hvor mange kan man være i fængselsflugten", "Fængselsflugten | 3-6 personer | 60 min", True),
        ("Hvor mange var arbejdsløse i 1932?", "I 1932 var 40 procent af de fagorganiserede arbejdsløse.",
         True),  # a share of people counts them (a review)
        ("hvor mange kan deltage", "Holdet koster 450 kr.", False),
        # a subject of its own after the verb: what is counted is its object, a share may answer
        ("Hvor mange vil værtsudvalget dedikere til lokale velgørende organisationer?",
         "Værtsudvalget vil dedikere 25 procent af alle penge til lokale velgørende organisationer.", True),
    ],
)
def test_a_count_stands_next_to_what_is_counted(question, sentence, ok):
    assert holds_kind(sentence, classify_question(question), question) is ok


@pytest.mark.parametrize(("question", "nouns"), [
    ("Hvor mange rivaliserende fyrster var med?", ("fyrster", "rivaliserende")),
    ("Hvor mange primære farver er der?", ("farver", "primære")),
    ("Hvor mange danske soldater døde?", ("soldater", "danske")),
    ("Hvor mange krige udkæmpede Danmark?", ("krige",)),  # a short noun with an adjective's ending
    ("Hvor mange tårne står på slottet?", ("tårne",)),
    ("Hvor mange studerende går på skolen?", ("studerende",)),  # a participle that is a noun
    ("Hvor mange besøgende kommer der?", ("besøgende",)),
    ("Hvor mange er der?", ()),
    ("hvor mange må besøge en patient på én gang", ()),  # a finite verb: people are counted
    ("hvor mange kan man være på et hold", ()),
])
def test_counted_nouns(question: str, nouns: tuple[str, ...]) -> None:
    assert counted_nouns(question) == nouns


@pytest.mark.parametrize(("sentence", "holds"), [
    ("Café Havnen ligger på Havnepladsen 3 i Svendborg.", False),  # a house number dates nothing
    ("Svømmehallen ligger på Vestergade 12, 4600 Køge.", False),  # nor a postcode
    ("Vi åbner 10:00 og lukker 22:00.", True),
    ("Der er quiz hver anden torsdag kl. 19.30.", True),
    ("Hallen blev bygget i 1974.", True),
    ("Den tømmes hver 14. dag.", True),
    ("Livet opstod for omkring 3,5 milliarder år siden.", True),
    ("Ved 1998 Super Bowl vandt Denver.", True),  # a year before a name is still a year
    # an age is no time: the span "13–18 år" had answered "Hvornår træner ungdomsholdet?"
    ("Ungdomsholdet (13–18 år) træner med Jakob.", False),
    ("13–18 år", False),
    ("Børn 3-5 år går i børnehave.", False),
    ("Senior (over 25 år): 1.650 kr.", False),
    ("Hun var 6 år gammel.", False),
    ("Stedet åbner om 3–4 år.", True),  # a range of years a word of time leads is a time
    ("Han døde 3 år senere.", True),
    ("Skolen står færdig (om 2 år).", True),
    ("Han blev formand for over 10 år siden.", True),
    ("Taget skal skiftes hvert 20-25 år.", True),
    ("Ventetiden er typisk 2-3 år.", True),
    ("Holdet er for børn på 3-5 år.", False),
])
def test_a_time_is_a_year_date_clock_time_or_duration(sentence: str, holds: bool) -> None:
    question = "Hvornår åbnede stedet?"
    assert holds_kind(sentence, classify_question(question), question) is holds


def test_a_postcode_is_no_sole_year() -> None:
    question = "Hvornår blev Køge Svømmehal bygget?"
    assert sole_expression_of_kind("Den ligger på Vestergade 12, 4600 Køge.", "time", question) is None
    assert sole_expression_of_kind("Den blev bygget i 1974 og ligger i Køge.", "time", question) == "1974"


def test_a_number_of_other_units_is_no_count_of_the_asked_noun():
    question = "Hvor mange Familiehuse skal der etableres?"
    assert not holds_kind("Stigningen er set gennem de seneste 10-15 år.", classify_question(question), question)
    assert not holds_kind("Der sker to ting.", classify_question(question), question)
    years = "Hvor mange år varede krigen?"
    assert holds_kind("Krigen varede i 7 år.", classify_question(years), years)


@pytest.mark.parametrize("question, text, expected", [
    ("Hvornår blev reformen vedtaget?", "Reformen blev vedtaget den 11. maj 2022.", "11. maj 2022"),
    ("Hvornår blev reformen vedtaget?", "Den blev vedtaget i 2022 og trådte i kraft i 2023.", None),  # two years
    ("Hvornår i 2022 blev den vedtaget?", "Den blev vedtaget 1. juli 2022.", "1. juli 2022"),  # says more
    ("Hvornår i 2022 skete det?", "Det skete i 2022.", None),  # only what the question gives
    ("Hvornår tjente han?", "Han tjente i 1050'erne.", "1050'erne"),
    ("I hvilket år blev apoteket etableret?", "Det blev etableret i år 2000.", "2000"),
    ("Hvor mange procent stemte ja?", "Hele 53,2 % stemte ja.", "53,2 %"),
    ("Hvor mange skoler har kommunen?", "Kommunen har 12 skoler.", None),  # counts are not taken
    ("Hvem åbnede skolen?", "Borgmesteren åbnede skolen i 2024.", None),
    ("Hvornår blev broen åbnet?", "Broen på 1600 meter blev åbnet i foråret.", None),  # a measure, no year
    ("Hvornår blev flyet bygget?", "Airbus A380 blev bygget i Toulouse.", None),  # part of a name
    ("Hvilket år åbnede skolen?", "Skolen har 4000 elever og åbnede i 1999.", "1999"),  # 4000 counts pupils
    ("Hvornår åbnede skolen?", "I 1999 åbnede skolen.", "1999"),
    ("Hvornår brændte mejeriet?", "Mejeriet havde i de bedste år 7 ansatte.", None),  # "år 7" counts staff
    ("Hvilket år fik Danmark sin grundlov?", "I år 1849 fik Danmark sin første grundlov.", "1849"),
    ("Hvornår levede han?", "Han levede i 1960’erne.", "1960’erne"),
    ("Hvornår blev kirken bygget?", "Kirken blev bygget i 1800-tallet.", "1800-tallet"),
    ("Hvor mange procent stemte ja?", "Mellem 40 og 50 procent stemte ja.", "40 og 50 procent"),  # a range whole
    ("Hvor mange procent stemte ja?", "Hele 40-50 % stemte ja.", "40-50 %"),
])
def test_sole_expression_of_kind(question, text, expected):
    assert sole_expression_of_kind(text, classify_question(question), question) == expected


@pytest.mark.parametrize(("answer", "held"), [
    ("syv", True),  # a bare count is the count a model picked
    ("7", True),
    ("1968", False),  # the question's own year is no count
    ("ABC-musikstationer", False),
    ("syv stationer i 1968 og senere flere end før", False),  # long: the sentence rule applies
    ("syv ABC-musikstationer", True),  # the count and what it counts
    ("10-15 år", False),  # a duration, not a number of stations
    ("tre uger", False),
])
def test_answer_holds_kind_takes_a_bare_count(answer, held):
    question = "Hvor mange ABC-musikstationer blev ejet og drevet i 1968?"
    assert answer_holds_kind(answer, NUMBER, question) is held
    assert not holds_kind("syv", NUMBER, question)  # a sentence must name what it counts


@pytest.mark.parametrize(("question", "missing"), [
    ("Hvornår er der arbejdsdag i 2025?", ["2025"]),  # the passages give 2024's dates
    ("Hvad skete der i 2024?", []),
    ("Hvad skete der i 1998?", []),  # inside a dotted date
    ("Hvad skete der i 1970'erne?", ["1970'erne"]),  # no year of that decade
    ("Hvad skete der i 1990erne?", []),  # 1998 is one
    ("Hvad skete der i 1600-tallet?", []),  # 1650 is in that century
    ("Hvad skete der i 1700-tallet?", ["1700-tallet"]),
    ("Hvor meget steg den fra 1995-2000?", []),  # one end of a range: passages write ranges many ways
    ("Hvor meget steg den fra 1995 – 2000?", []),
    ("Hvor mange var der i 2025, og hvor mange i 2024?", ["2025"]),
    ("Hvad sendte TV2025 om arbejdsdagen?", []),  # glued to letters: a name
    ("Hvor mange af de 1500 elever går i 9. klasse?", []),  # an amount, not a year
])
def test_years_missing(question, missing):
    passages = ["Arbejdsdagen er lørdag den 27. april 2024.", "Kirken blev bygget i 1650. Mødet var 1.5.1998.",
                "Skolen har 1.500 elever."]
    assert years_missing(question, passages) == missing


@pytest.mark.parametrize(("span", "sentence", "expected"), [
    ("8. uge", "Den tømmes hver 8. uge.", "hver 8. uge"),
    ("4. år", "Valget holdes hvert 4. år.", "hvert 4. år"),
    ("uge", "Haven vandes hver anden uge.", "hver anden uge"),
    ("8. uge", "Arbejdet begynder i 8. uge.", "8. uge"),  # a date, not a frequency
    ("14 dage", "Beholderen tømmes om 14 dage.", "14 dage"),
    ("9. maj", "Ingen hver; mødet er 9. maj.", "9. maj"),
    ("ikke i teksten", "Den tømmes hver 8. uge.", "ikke i teksten"),
])
def test_a_recurrence_word_stays_with_its_number(span: str, sentence: str, expected: str) -> None:
    assert with_recurrence(span, sentence) == expected


@pytest.mark.parametrize(("span", "texts", "expected"), [
    ("1546", ["Han prædikede sidste gang den 15. februar 1546 i Eisleben."], "15. februar 1546"),
    ("15. februar", ["den 15. februar 1546"], "15. februar 1546"),
    ("februar", ["den 15. februar 1546"], "15. februar 1546"),
    ("2024.", ["Loven gælder fra 1. september 2024.", "Fra 1. september 2024 gælder den."], "1. september 2024."),
    # two different dates hold the year: which one is meant would be a guess
    ("1546", ["Den 3. marts 1546 og den 4. april 1546."], "1546"),
    ("1546", ["I 1546 døde han."], "1546"),  # no fuller date
    ("24", ["1. september 2024"], "24"),  # not a year, and not a whole part of the date
    ("Jens Hansen", ["den 15. februar 1546"], "Jens Hansen"),
    ("1. september 2024", ["1. september 2024"], "1. september 2024"),
])
def test_a_bare_year_or_day_widens_to_the_one_full_date_holding_it(span: str, texts: list[str],
                                                                   expected: str) -> None:
    assert widen_to_date(span, texts) == expected


@pytest.mark.parametrize(("span", "sentence", "expected"), [
    ("1960'erne", "Boligerne blev bygget mellem 1960'erne og 1990'erne.", "mellem 1960'erne og 1990'erne"),
    ("1990'erne", "Boligerne blev bygget mellem 1960'erne og 1990'erne.", "mellem 1960'erne og 1990'erne"),
    ("1562", "Krigene varede fra 1562 til 1598.", "fra 1562 til 1598"),
    ("1914", "Under krigen 1914-18 var Danmark neutralt.", "1914-18"),
    ("1914", "I 1914 begyndte krigen.", "1914"),  # no range
    ("2000", "Fra 2000 til 2010, og igen fra 2000 til 2005.", "2000"),  # two ranges: a guess
    ("maj", "mellem maj og juni", "maj"),  # only ranges of numbers
    ("2024", "Mødet er 2024-09-01 i salen.", "2024"),  # a date is no range
    ("1914", "Det skete i 1914 - 20 år efter freden.", "1914"),  # a dash with spaces and a count
    ("8. marts 2026", "Hinnerup Cup spilles den 7.–8. marts 2026 i hallen.", "7.–8. marts 2026"),  # days
    ("15.00", "Skolen foregår kl. 9.00–15.00.", "15.00"),  # a clock time is no day
])
def test_one_end_of_a_range_widens_to_the_range(span: str, sentence: str, expected: str) -> None:
    assert with_range(span, sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Skolen åbnede 1. september 2024.", "1. september 2024"),
    ("I 2024 åbnede skolen den 1. september 2024.", "1. september 2024"),  # the year of that date
    ("Pesten kom omkring november 1347 og nåede England i foråret 1349.", None),  # two times: a guess
    ("Skolen åbnede i 1998.", "1998"),
])
def test_the_sole_time_counts_years_beside_dates(sentence: str, expected: str | None) -> None:
    assert sole_expression_of_kind(sentence, "time", "Hvornår skete det?") == expected


@pytest.mark.parametrize(("question", "text", "missing"), [
    ("Hvem er borgmester i Aarhus Kommune?", "Borgmester i Sorø Kommune er Ivan Hansen.", ["Aarhus"]),
    ("Hvem ejer Novo Nordisk?", "Nordisk Film ejes af Egmont.", ["Novo"]),  # a name is read by its first word
    ("Hvad ønsker Søndervangskolen?", "Nørrevangskolen ønsker at bevare 7. årgang.", ["Søndervangskolen"]),
    ("Hvilket sprog tales i Nepals skoler?", "I nepalesiske skoler tales nepali.", []),  # genitive, adjective
    ("Hvornår døde Mongke Khan?", "Möngke Khan døde i 1259.", []),  # accents
    ("Hvem påvirkede Bismark?", "Bismarck påvirkede mange.", []),  # a near spelling
    ("Hvem er Mette Frederiksen?", "Dette er en tekst om Karen Hansen.", ["Mette"]),  # no sentence's first word
    ("Hvem er Karin Hansen?", "Karen Hansen er formand.", ["Karin"]),  # one letter apart: another person
    ("Hvem er borgmester i Arhus?", "Borgmester i Århus er Jacob Bundsgaard.", []),  # typed without å
    ("Hvad koster en billet i Koge Svommehal?", "Køge Svømmehal: voksne 50 kr.", []),  # without ø
    ("Hvad sker der i Naestved og Holbaek?", "Der sker meget i Næstved og i Holbæk.", []),  # æ as "ae"
    ("Hvad sker der i Koege?", "Der sker meget i Køge.", []),  # ø as "oe"
    ("Hvem er borgmester i Vejen?", "Borgmester i Vejle er Jens Ejner Christensen.", ["Vejen"]),  # two letters
    ("Hvor mange deltog i IPCC-mødet?", "På mødet i IPCC deltog 300.", []),  # a hyphen part
    ("Hvor meget ilt mistede Sol?", "Solen mistede ilt.", []),  # a Danish ending
    ("Hvem er formand for Socialudvalgets bestyrelse?", "Formand for Socialudvalget er Thomas Adelskov.", []),
    ("Hvem er direktør for L'Oréal Danmark?", "L’Oréal har en dansk direktør.", []),  # an apostrophe part
    ('"Hvornår blev Roskilde Domkirke bygget?"', "Roskilde Domkirke blev bygget i 1200-tallet.", []),
    ("Hvad omdøbte Microsoft Sky Drive til?", "Microsoft omdøbte SkyDrive til OneDrive.", []),  # words joined
    ("Hvem er borgmester i Kolding?", "Det er koldt i byen.", ["Kolding"]),  # a common word is no name
    ("Hvornår åbner biblioteket?", "Biblioteket åbner kl. 10.", []),  # no name
    ("Hvor mange Doktor Hvem Juletilbud blev vist?", "Doktor Hvem viste 12 julespecialer.", []),  # one name
    ("Hvor kan De henvende Dem med Deres spørgsmål?", "Henvend dig til borgerservice.", []),  # polite "you"
    # a common noun hyphened to a name is no part of it: the other branch's page says "afdelingen" too
    ("Hvad koster rabatten i Randers-afdelingen?", "Aarhus-afdelingen giver 400 kr. i rabat.", ["Randers"]),
    ("Hvad koster rabatten i Randers-afdelingen?", "I Randers giver vi ingen rabat.", []),
])
def test_names_missing(question: str, text: str, missing: list[str]) -> None:
    assert names_missing(question, [text]) == missing


@pytest.mark.parametrize(("question", "leans"), [
    ("Hvem stod bag den?", True),
    ("Hvornår besøgte hun kommunen?", True),
    ("Hvornår besøgte Karen Hækkerup kommunen?", False),  # names whom it means
    ("Hvad koster det at være medlem?", False),  # "det" as an expletive
    ("Hvem er borgmester i Sorø?", False),
    ("Hvornår har de åbent?", True),  # "de" as the subject
    ("Hvor bor de?", True),
    ("Hvad koster de nye billetter?", False),  # "de" as an article
    ("Hvem er de to ejere?", False),
    ("Hvornår har de åbent i Køge?", False),  # names what it is about
])
def test_leans_on_context(question: str, leans: bool) -> None:
    assert leans_on_context(question) is leans


@pytest.mark.parametrize(("span", "question", "expected"), [
    ("1914", "Hvornår var krigen?", "1914-18"),
    ("1914", "Hvornår begyndte krigen?", "1914"),  # one end asked for
    ("1914", "Hvilket år var krigen?", "1914"),  # a year asked for
    ("18. maj", "Hvornår var krigen?", "18. maj"),  # neither in a date nor a range of the text
])
def test_widen_time(span: str, question: str, expected: str) -> None:
    text = "Krigen 1914-18 endte med en fred."
    assert widen_time(span, [text], classify_question(question), question) == expected


def test_a_one_end_question_keeps_the_clock_but_not_the_range() -> None:
    text = "Koncerten er mandag 23. juni kl. 19.30. Cuppen spilles den 7.–8. marts 2026."
    starts = "Hvornår starter koncerten?"
    assert widen_time("23. juni", [text], classify_question(starts), starts) == "mandag 23. juni kl. 19.30"
    when = "Hvornår spilles cuppen?"
    assert widen_time("8. marts 2026", [text], classify_question(when), when) == "7.–8. marts 2026"
    begins = "Hvornår begynder cuppen?"
    assert widen_time("8. marts 2026", [text], classify_question(begins), begins) == "8. marts 2026"


@pytest.mark.parametrize(("question", "previous", "expected"), [
    ("Hvem stod bag den?", "Hvornår blev reformen Børnene Først vedtaget?",
     "Hvem stod bag den (reformen Børnene Først vedtaget)?"),
    ("Hvem er borgmester i Sorø?", "Hvornår blev reformen vedtaget?", "Hvem er borgmester i Sorø?"),  # stands alone
    ("Hvem stod bag den?", "", "Hvem stod bag den?"),  # nothing before it
])
def test_with_context(question: str, previous: str, expected: str) -> None:
    assert with_context(question, previous) == expected


@pytest.mark.parametrize(("question", "text", "word"), [
    ("Hvilke partier stemte imod?", "Loven blev vedtaget af V og S.", "imod"),
    ("Hvilke partier stemte imod?", "V stemte mod loven.", None),
    ("Hvad må man ikke tage med?", "Man må kun tage en taske med.", None),
    ("Hvad må man ikke tage med?", "Det er forbudt at medbringe hunde.", None),
    ("Hvem nægtede at underskrive?", "Alle underskrev.", None),  # "nægtede" is no question-side word
    ("Hvornår var der aldrig sne?", "Der faldt sne i 1990.", "aldrig"),
    ("Hvad koster det, hvis jeg ikke kommer?", "Udeblivelse koster 250 kr.", None),  # a condition's "ikke"
    ("Hvis jeg ikke kommer, hvad koster det?", "Udeblivelse koster 250 kr.", None),  # one at the start too
    ("Hvad koster det – om jeg ikke kommer?", "Udeblivelse koster 250 kr.", None),
    ("Hvad koster parkering uden for centrum?", "Parkering koster 10 kr. i timen.", None),  # a place
    ("Hvem tager imod tilmeldinger til holdet?", "Tilmeldinger sendes til Birthe Fogh.", None),  # to receive
    ("Hvornår har biblioteket ikke åbent?", "Biblioteket er lukket på helligdage.", None),
    ("Hvor længe før skal jeg aflyse for ikke at betale gebyr?", "Aflys senest 48 timer før.", None),  # a purpose
])
def test_opposition_unanswered(question: str, text: str, word: str | None) -> None:
    assert opposition_unanswered(question, text) == word


@pytest.mark.parametrize(("question", "text", "part"), [
    ("Hvem er formand for KL?", "A, formand for KL’s Social- og Sundhedsudvalg, siger …", "formand for KL’s Social-"),
    ("Hvem er formand for KL?", "KL's formand er B.", None),  # the whole's own role, written otherwise
    ("Hvem er direktør for Socialstyrelsen?", "C er direktør for Socialstyrelsens nye center.",
     "direktør for Socialstyrelsens nye"),  # the genitive without an apostrophe
    ("Hvem er leder af Køge Bibliotek?", "D er leder af Køge's børneafdeling.", "leder af Køge's børneafdeling"),
    ("Hvem er borgmester i Ishøj?", "Ishøjs borgmester, Ole Bjørstorp, sagde …", None),
    ("Hvem er formand for KL’s Social- og Sundhedsudvalg?", "A, formand for KL’s Social- og Sundhedsudvalg.", None),
])
def test_narrower_role(question: str, text: str, part: str | None) -> None:
    assert narrower_role(question, text) == part


def test_role_statement_and_roles_missing() -> None:
    assert role_statement("Kasserer er Birthe Fogh.") == "Kasserer"
    assert role_statement("Klubben er Danmarks ældste.") is None  # no role noun
    assert role_statement("Formanden har ordet.") is None
    assert roles_missing("Hvem er formand for Borup Tennisklub?", ["Borup Tennisklub har fire baner."]) == ["formand"]
    # a deputy is not the role: "Skoleleder: …" does not name the viceskoleleder
    assert roles_missing("hvem er viceskoleleder på rørkær skole", ["Skoleleder: Hans Jensen"]) == ["viceskoleleder"]
    # a deputy in any form, hyphened or definite, and a næstformand for a viceformand (a review)
    assert roles_missing("Hvem var vicepræsidenten under Obama?", ["Joe Biden var vicepræsident under Obama."]) == []
    assert roles_missing("Hvem er vice-formand i Birkely?", ["Vice-formand i Birkely er Pia Holm."]) == []
    assert roles_missing("Hvem er viceformand i foreningen?", ["Pia Holm blev valgt som næstformand."]) == []
    assert roles_missing("Hvem er formand for Borup Tennisklub?", ["Formanden hedder Ib."]) == []
    assert roles_missing("Hvem leder klubben?", ["Klubben har fire baner."]) == []  # a verb, not a role asked
    # a compound role (eval/trial12 r14-07): missing unless the texts name a role of its kind
    assert roles_missing("hvem er kloakmester hos bech vvs", ["Indehaver: Torben Bech, autoriseret VVS-installatør"]) \
        == ["kloakmester"]
    assert roles_missing("Hvem er cheftræneren for Broncos?", ["John Fox var træner for Broncos."]) == []
    assert roles_missing("Hvem er ansvarlig for driften?", ["Driften varetages af IT."]) == []  # an adjective
    assert roles_missing("Hvem er ejendomsleder i Engparken?", ["Ejendomsinspektør: Jens Mortensen"]) == []  # a review
    assert roles_missing("Hvor mange år var han cheftræner?", ["Han trænede holdet."]) == []
    assert roles_missing("Hvem er leder af Solsikken?", ["Solsikken ledes af Anne Holm."]) == []  # a passive
    assert roles_missing("Hvem er ejer af Café Stjernen?", ["Caféen ejes af Mads Holm."]) == []
    # a compound of the role with another word the question asks about names it; another compound does not
    assert roles_missing("hvem er leder af køreskolens afdeling i randers", ["Afdelingsleder: Henrik Dalsgaard"]) == []
    assert roles_missing("Hvem er leder af afdelingen?", ["Skolelederen hedder Ole."]) == ["leder"]
    # a word sharing the role's first letters is not the role; its other forms are
    assert roles_missing("Hvem er kasserer i Birkebo?", ["Tøjet lægges i kassen ved døren."]) == ["kasserer"]
    assert roles_missing("Hvem er formand for Birkebo?", ["Udfyld formularen."]) == ["formand"]
    assert roles_missing("Hvem er formanden for Birkebo?", ["Formændene mødes i maj."]) == []
    assert roles_missing("Hvem er minister for kultur?", ["Ministrene mødtes."]) == []
    assert roles_missing("Hvem er kasserer i Birkebo?", ["Kassereren hedder Ib."]) == []
    assert roles_missing("Hvem er kasserer i Birkebo?", ["Glemt tøj kasseres efter 14 dage."]) == ["kasserer"]
    assert roles_missing("Hvem er formand for klubben?", ["Næstformand: Ole Berg"]) == ["formand"]
    assert role_statement("Direktøren er ikke til stede.") is None  # a name must follow, in capitals


def test_whole_names_found_needs_every_word_of_a_name() -> None:
    football = ["Skovbo Boldklub er en fodboldklub i Borup."]
    assert whole_names_found("Hvem er kasserer i Borup Tennisklub?", football) == 0
    assert whole_names_found("Hvem er kasserer i Borup Tennisklub?", ["Borup Tennisklub har fire baner."]) == 1


@pytest.mark.parametrize(("span", "sentence", "question", "widened"), [
    ("Liberal Alliance", "Dansk Folkeparti og Liberal Alliance stemte imod.", "Hvilke partier stemte imod?",
     "Dansk Folkeparti og Liberal Alliance"),
    ("SF", "Forslaget blev vedtaget af S, SF og Radikale Venstre.", "Hvilke partier stemte for?",
     "S, SF og Radikale Venstre"),
    ("Denver", "Denver og Carolina spillede finalen.", "Hvem vandt finalen?", "Denver"),  # one asked for
    ("Brøndby", "Odense og Brøndby spillede.", "Hvem tabte kampen, og hvilke mål blev scoret?", "Brøndby"),
    ("Venstre", "Både Venstre og Dansk Folkeparti stemte imod.", "Hvilke partier stemte imod?",
     "Venstre og Dansk Folkeparti"),
    ("Ole", "Det sagde Jens og Ole. Og Karen var enig.", "Hvilke personer talte?", "Jens og Ole"),
    ("Karsten Møller", "Sagen blev fremlagt af Karsten Møller.", "Hvilke politikere talte?", "Karsten Møller"),
])
def test_with_conjuncts(span: str, sentence: str, question: str, widened: str) -> None:
    assert with_conjuncts(span, sentence, question) == widened


@pytest.mark.parametrize(("text", "dated"), [
    ("Klubben har cirka 420 medlemmer.", False),  # an approximated count
    ("Omkring 1850 flyttede familien til byen.", True),
    ("Omkring 1685 fandt flygtningene et tilflugtssted.", True),  # a strong past tense
    ("Omkring 1850 flytter familien til Odense.", True),  # the historical present
    ("Det skete ca. 1200 i Roskilde.", True),
])
def test_an_approximated_count_is_no_time(text: str, dated: bool) -> None:
    assert holds_kind(text, classify_question("Hvornår skete det?"), "Hvornår skete det?") is dated


@pytest.mark.parametrize(("question", "previous", "written"), [
    ("Og hos Lægehuset Skovvej?", "Hvad koster en kørekortattest hos Lægerne ved Torvet?",
     "Hvad koster en kørekortattest hos Lægehuset Skovvej?"),
    ("Hvad med Ishøj?", "Hvem er borgmester i Sorø Kommune?", "Hvem er borgmester i Ishøj?"),
    ("Og i 2025?", "Hvad var affaldsgebyret i 2024?", "Hvad var affaldsgebyret i 2025?"),
    ("Og hvornår åbner den?", "Hvem ejer svømmehallen i Køge?", None),  # a question of its own
    ("Og hos Lægehuset Skovvej?", "Hvad koster en kørekortattest?", None),  # no "hos" to replace
    ("Og så?", "Hvem er borgmester i Sorø?", None),  # no name to put in the name's place
    ("Men Sorø er større.", "Hvem er borgmester i Ishøj?", None),  # a statement, no question
    ("Og på Torvet?", "Hvad koster det at parkere på Slotsgade på hverdage?",
     "Hvad koster det at parkere på Torvet på hverdage?"),  # the name replaced, the rest kept
])
def test_complete_ellipsis(question: str, previous: str, written: str | None) -> None:
    assert complete_ellipsis(question, previous) == written


def test_a_preposition_names_nothing_priced() -> None:
    question = "Hvad koster en vaccination mod hepatitis A hos Lægerne ved Torvet?"
    assert not holds_kind("En kørekortattest koster 450 kr. og betales ved konsultationen.",
                          classify_question(question), question)


def test_a_week_number_answers_which_weeks() -> None:
    question = "Hvilke uger har klinikken sommerlukket?"
    assert classify_question(question).kind == TIME
    assert holds_kind("Klinikken holder sommerlukket i uge 29 og 30.", classify_question(question), question)
    assert not holds_kind("Klinikken ligger på Torvet 5 i Borup.", classify_question(question), question)


def test_a_role_that_is_also_a_verb_names_no_one() -> None:
    assert not mentions_person("Holdet træner hver tirsdag kl. 17.")
    assert not mentions_person("Vi ejer banerne selv.")
    assert mentions_person("Kassereren svarer på mail.")


def test_an_amount_of_money_counts_nothing_but_money() -> None:
    question = "Hvor mange stemte for skateparken?"
    kind = classify_question(question)
    assert not holds_kind("Skateparken har et budget på 2,4 mio. kr. og skal stå færdig i juni 2026.", kind, question)
    assert holds_kind("Forslaget blev vedtaget med 17 stemmer for og 5 imod.", kind, question)
    money = "Hvor mange penge fik klubben?"
    assert holds_kind("Klubben fik et tilskud på 50.000 kr.", classify_question(money), money)


ROWING = ("ROKLUBBEN BØLGEN – INFORMATION OM SÆSONEN 2025\n\nBESTYRELSEN\nFormand: Kirsten Ravn\n"
          "Motionsholdet ror med træner Jakob Søndergaard fra bådhuset. Fællesroning er for alle.")


@pytest.mark.parametrize(("typed", "read"), [
    ("hvem er formand for roklubben bølgen", "hvem er formand for Roklubben Bølgen"),  # an all-capitals title
    ("hvem træner motionsholdet hos jakob søndergaard", "hvem træner motionsholdet hos Jakob Søndergaard"),
    # a question word without its å; "Fællesroning" only opens a sentence
    ("hvornar er fællesroning", "hvornår er fællesroning"),
    # a writer who capitalises marks the names: left as typed
    ("Hvem er formand for roklubben bølgen?", "Hvem er formand for roklubben bølgen?"),
    ("", ""),
])
def test_a_question_typed_in_lower_case_is_read_as_the_documents_write_it(typed: str, read: str) -> None:
    assert restore_case(typed, ["ROKLUBBEN BØLGEN – INFORMATION OM SÆSONEN 2025"], [ROWING]) == read


def test_a_word_the_documents_write_in_lower_case_too_stays_a_word() -> None:
    texts = ["Vi har åbent. Kontakt Havnen på telefon. Bådene ligger i havnen hele året."]
    assert restore_case("hvor ligger havnen", [], texts) == "hvor ligger havnen"
    assert restore_case("hvordan kontakter man laegehuset skovvej", ["Lægehuset Skovvej"], []) \
        == "hvordan kontakter man Lægehuset Skovvej"  # the title gives the Danish letters back


def test_one_word_a_title_capitalises_and_a_file_name_holds_is_a_name() -> None:
    titles = ["Cykelsmeden i Jægergårdsgade – Prisliste 2026", "cykelsmeden prisliste"]
    assert restore_case("hvornår har cykelsmeden åbent", titles, ["Vi har åbent."]) == "hvornår har Cykelsmeden åbent"
    # a title's word alone, not in the file name, stays a word ("Åbningstider i svømmehallen", priser.pdf)
    assert restore_case("hvornår har svømmehallen åbent", ["Åbningstider i Svømmehallen", "priser"], ["x"]) == \
        "hvornår har svømmehallen åbent"


@pytest.mark.parametrize(("stem", "root"), [
    ("træning", "træn"), ("parkering", "park"), ("tilmelding", "tilmeld"), ("bestilling", "bestil"),
    ("åbning", "åbn"), ("ting", "ting"), ("ring", "ring"), ("træn", "træn"),
])
def test_a_verbal_noun_meets_its_verb(stem: str, root: str) -> None:
    assert verb_root(stem) == root


def test_a_verbal_noun_and_its_verb_share_a_content_term() -> None:
    from rag.answer.verify import content_terms

    assert content_terms("Hvor kan man parkere?") & content_terms("Der er offentlig parkering på Havnepladsen.")
    assert content_terms("Hvornår træner holdet?") & content_terms("Træningen foregår om tirsdagen.")


BYLAWS = ("§ 6. Hække mod fællesvejen må højst være 1,80 m høje. Der er åbent hver dag.\nSøndag | Lukket | 9.00–15.00\n"
          "Formand: Henrik Dalgaard")


@pytest.mark.parametrize(("typed", "read"), [
    # typed without æ, ø and å: the documents' spelling, an ending kept ("søndag" + "en")
    ("hvor hoej maa haekken vaere mod faellesvejen", "hvor høj må hækken være mod fællesvejen"),
    ("Hvornaar er der aabent om soendagen?", "Hvornår er der åbent om søndagen?"),
    ("Hvornar lukker de?", "Hvornår lukker de?"),  # a question word, capitalised or not
    # one letter for "ø" is a slip beside another typed as two ("aabent"); alone it may be a word of its own
    ("hvor hoje maa haekken vaere", "hvor høje må hækken være"),
    ("hvor hoje kan den blive", "hvor hoje kan den blive"),
    # a name after a form's colon is learnt; a lone title word is no name ("priser.pdf")
    ("hvem er henrik dalgaard", "hvem er Henrik Dalgaard"),
    ("hvad er priser for en voksenbillet", "hvad er priser for en voksenbillet"),
    # words the documents hold as typed stay ("Michael", "Aarhus")
    ("Hvem mødte Michael i Aarhus?", "Hvem mødte Michael i Aarhus?"),
    # held only as a compound's part ("Autoværksted", "Værkstedsleder"), an ending kept
    ("hvornaar lukker vaerkstedet om fredagen", "hvornår lukker værkstedet om fredagen"),
    ("hvad koster skoene", "hvad koster skoene"),  # not "skøn" of "Skønhedssalon": under five letters
])
def test_a_question_typed_without_danish_letters_is_spelt_as_the_documents_spell_it(typed: str, read: str) -> None:
    texts = [BYLAWS, "Michael boede i Aarhus.", "Vinkel Autoværksted. Værkstedsleder: Mikkel Vinkel",
             "Skønhedssalon Lotus"]
    assert restore_case(typed, ["priser", "Vedtægter"], texts) == read


def test_a_file_name_without_danish_letters_does_not_take_them_from_the_question() -> None:
    got = restore_case("hvem er formand for roklubben bølgen", ["Roklubben-Bolgen", "roklubben bolgen"], ["Se her."])
    assert got == "hvem er formand for Roklubben Bølgen"


@pytest.mark.parametrize(("question", "title", "titled"), [
    ("Hvad koster et klippekort i FitHuset Aalborg?", "FitHuset Aalborg – medlemsvilkår 2025", True),
    ("Hvad koster et klippekort i FitHuset Aalborg?", "FitHuset Aarhus – medlemsvilkår 2025", False),
    ("Hvornår holder Lægehuset Skovvej ferie?", "laegehuset skovvej", True),  # a file name: nothing besides
    ("Hvornår åbner svømmehallen i Aarhus?", "Aarhus Universitet", False),  # another name besides it
    ("Hvornår åbner svømmehallen i Aarhus?", "aarhus universitet", False),
    ("Hvornår kommer storskrald i Vejle?", "Vejledning til affald", False),
])
def test_a_document_is_titled_for_a_name_it_holds_whole_with_nothing_else_named(
        question: str, title: str, titled: bool) -> None:
    assert titled_for_name(question, title) is titled


def test_a_name_in_an_email_address_is_no_lower_case_word() -> None:
    texts = ["Velkommen i FitHuset Aalborg. Skriv til aalborg@fithuset.dk eller se www.fithuset.dk."]
    assert restore_case("hvad koster et klippekort i fithuset aalborg", [], texts) \
        == "hvad koster et klippekort i FitHuset Aalborg"


@pytest.mark.parametrize(("span", "sentence", "expected"), [
    ("23. juni", "Mandag 23. juni kl. 19.30 – Sankthansaften-andagt ved stranden", "Mandag 23. juni kl. 19.30"),
    ("9. juli", "Besøgsdag onsdag den 9. juli kl. 16–19.", "onsdag den 9. juli kl. 16–19"),
    ("7. februar 2016", "Spillet blev spillet den 7. februar 2016, på Levi's Stadium.", "7. februar 2016"),
    ("2016", "Spillet blev spillet i 2016 kl. 3.", "2016"),  # a year alone: no day to put a time on
])
def test_a_date_keeps_its_weekday_and_clock_time(span: str, sentence: str, expected: str) -> None:
    assert with_clock(span, sentence) == expected


@pytest.mark.parametrize(("question", "thing"), [
    ("Hvad koster en ny forlygte monteret hos Cykelsmeden?", "forlygte"),  # past article and adjective
    ("Hvad koster det at leje sengelinned til sommerhuset?", "sengelinned"),  # past "det at VERB"
    ("hvad koster en times arbejde på bilen", "arbejde"),  # past a genitive
    ("Hvor meget skal man betale for to billetter?", "billetter"),
    ("Hvad er prisen på en kano?", "kano"),
    ("Hvad koster det?", None),
    ("Hvad koster det om måneden?", None),
    ("Hvad koster det at parkere på Slotsgade?", None),  # how, not what
    ("Hvad skal vi betale for at vores søn spiller på U14?", None),  # a purpose, no thing
    ("Hvad koster Netflix?", None),  # a name: the name gates read those
    ("Hvornår åbner biblioteket?", None),  # no price question
    ("Hvad koster det at have en hund?", "hund"),  # "have" is the verb, "en" no participle
    ("Hvad koster det per person?", None),
    ("Hvad koster det årlige kontingent?", "kontingent"),
    ("Hvad koster den billigste billet?", "billet"),
    ("hvad koster det ekstra at tage en elcykel", "elcykel"),  # past "det ekstra at VERB"
    ("hvad tager Mjav for at klippe kløer på min kat", "kløer"),  # what a business charges (eval/trial26)
    ("hvad tager han for kørsel", "kørsel"),
    ("min perser skal børstes, hvad tager pelsen for det", None),  # the thing is in the asker's words
])
def test_priced_thing_is_the_first_noun_after_the_price_cue(question: str, thing: str | None) -> None:
    assert priced_thing(question) == thing


def test_an_unstressed_e_dropped_before_the_ending_is_the_same_word() -> None:
    from rag.danish import inflected, names_what_is_priced

    assert inflected("elcykel", "elcykler") and inflected("hørecentret", "hørecenter")
    assert inflected("formand", "formanden")
    assert not inflected("center", "centerchef") and not inflected("cykel", "cyklist")
    assert not inflected("haven", "havnen") and not inflected("vejer", "vejret")  # "-en", a short stem: a review
    assert inflected("voksen", "voksne")  # "-en" before "-e": a column "Voksne" for "en voksen"
    q = "hvad koster det ekstra at tage en elcykel"
    assert names_what_is_priced("Elcykler kan bruges med alle produkter mod et tillæg på 5 kr. pr. tur.", q)
    assert not names_what_is_priced("Overskrider du de 45 minutter, koster hvert ekstra minut 1 kr.", q)


def test_the_verbs_noun_prices_the_thing_its_document_is_about() -> None:
    question = "Hvad kostede det at bygge mejeriet?"
    kind = classify_question(question)
    assert holds_kind("Byggeriet kostede 18.400 kr.", kind, question, about="Bøgeskov Andelsmejeri 1888–1971")
    assert not holds_kind("Byggeriet kostede 18.400 kr.", kind, question, about="Bøgeskov Skole")
    rent = "Hvad koster det at leje sengelinned til sommerhuset?"
    assert not holds_kind("Halvdelen af lejen, 4.450 kr.", classify_question(rent), rent,
                          about="Lejeaftale, Hvide Sande")


@pytest.mark.parametrize(("asked", "label", "question", "ok"), [
    ("sæsonen", "sæsonstart", "Hvornår går sæsonen i gang i Hadsten Håndboldklub?", True),
    ("sæsonen", "sæsonafslutning", "Hvornår går sæsonen i gang?", False),  # the other end
    ("sæsonen", "sæsonafslutning", "Hvornår slutter sæsonen?", True),
    ("skolen", "skolefoto", "Hvornår starter skolen?", False),  # another thing of the school
    ("tilmelding", "tilmeldingsfrist", "Hvornår er fristen for tilmelding?", True),
])
def test_a_label_compounding_the_asked_word_with_what_else_is_asked(asked: str, label: str, question: str,
                                                                    ok: bool) -> None:
    assert asks_compound(asked, label, question) is ok


@pytest.mark.parametrize(("word", "compound", "head"), [
    ("Junior", "juniormedlem", "medlem"),
    ("Voksne", "voksenbillet", "billet"),  # the plural's "-ne" is the compound's "-en"
    ("Senior", "seniormedlemskab", "medlemskab"),
    ("Tilmelding", "tilmeldingsfrist", "sfrist"),  # the linking "s" is the caller's to read
    ("Junior", "junior", None),  # no compound of itself
    ("Junior", "juniorerne", None),  # an ending, not a second word
    ("Medlem", "medlemmerne", None),  # the last letter doubled before an ending
    ("Under", "undervisning", None),  # a stop word is no first part
    ("Over", "overnatning", None),
    ("Voksen", "vokslys", None),  # no definite ending taken off the label
    ("Sen", "seniormedlemskab", None),  # too short to be a first part
    ("Voksne", "medlemskab", None),
])
def test_the_head_of_a_compound_after_its_first_part(word: str, compound: str, head: str | None) -> None:
    assert compound_head(word, compound) == head


def test_indefinite_takes_off_one_ending() -> None:
    assert indefinite("skolen") == ["skol", "skole"] and indefinite("klubben")[0] == "klub"
    assert indefinite("hus") == []


@pytest.mark.parametrize(("question", "text", "fits"), [
    ("hvad koster kontingentet hvis man er 22 år", "Ungdomsmedlem (18-24 år): 700 kr.", True),
    ("hvad koster kontingentet hvis man er 22 år", "Seniormedlem (25 år og derover): 2.400 kr.", False),
    ("Jeg er 19 og studerende – hvor meget rabat får jeg?", "Hvis du er under 25 år, får du 750 kr. i rabat.", True),
    ("hvad koster en billet for en på 22 år", "Billetpris: 245 kr. (under 25 år: 125 kr.)", True),
    ("hvad koster vaccinen hvis man er under 65", "Covid-19-vaccination: gratis for personer over 65 år.", False),
    ("hvad koster levering hvis man er fyldt 80 år", "Gratis levering, hvis du er fyldt 75 år.", True),
    ("Hvad koster det?", "Børn under 12 år: 50 kr.", None),  # no age asked
    ("hvad koster det hvis man er 30 år", "Voksne: 100 kr.", None),  # no age group set
    ("Hvor mange er over 20 km lange?", "Tre veje er over 20 km lange.", None),  # a length, not an age
    # a child or a pensioner the asker speaks of, with or without "år"
    ("min datter er 14, hvad skal hun betale i kontingent", "Unge 12-17 år | 800 kr. | 850 kr.", True),
    ("hvad koster det at få klippet min dreng på 9", "Børneklip under 12 år | 30 min. | 225 kr.", True),
    ("hvad betaler en pensionist på 67 i kontingent", "Unge 12-17 år | 850 kr.", False),
    ("Min søn er 7 og går til spejder. Hvad koster lejren?", "Mikro | 6-7 år | 12.-14. juli | 700 kr.", True),
])
def test_an_age_asked_and_the_age_groups_a_text_sets(question: str, text: str, fits: bool | None) -> None:
    assert age_fits(question, text) is fits


def test_a_numbered_name_the_documents_number_otherwise() -> None:
    from rag.danish import numbered_names_missing

    prices = ["VestFast 12: Prisen 1,89 kr. pr. kWh.", "Tilbuddet gælder ikke VestFast 12."]
    assert numbered_names_missing("Hvad er kWh-prisen på VestFast 24?", prices) == ["VestFast 24"]
    assert numbered_names_missing("Hvad er kWh-prisen på VestFast 12?", prices) == []
    assert numbered_names_missing("Hvad koster VestFlex om måneden?", prices) == []  # not numbered
    assert numbered_names_missing("Hvad blev opført i Aarhus 2017?", ["Aarhus var kulturby."]) == []
    assert numbered_names_missing("Hvad er Salme 31:5?", ["Salme 31:5 er den døendes bøn."]) == []


@pytest.mark.parametrize(("question", "text"), [
    ("hvad koster en billet hvis man er over 25", "Billetpris: 245 kr. (under 25 år: 125 kr.)"),  # everyone's price
    ("hvad koster et seniormedlemskab på 1 år", "Juniormedlem (under 18 år): 400 kr."),  # a duration
    ("hvad koster det hvis vi er 3 personer", "Junior (under 18 år): 400 kr."),  # a head-count
    ("hvad koster hallen for over 20 personer", "Unge under 18 år: 400 kr."),  # not an age group
    ("min søn på 3 kg skal have en ny cykel, hvad koster den", "Børn under 12 år: 400 kr."),  # a weight
    # months, a school class, a count of times, a height: no age (a review)
    ("min søn på 9 mdr hvad koster kontingent", "Børn 6-12 år | 450 kr."),
    ("min datter er 2. klasse, hvad koster SFO", "Børn 0-5 år | 450 kr."),
    ("Min datter er 2 gange om ugen i klubben, hvad koster det", "Børn 0-5 år | 450 kr."),
    ("min søn er 1,10 m høj, hvad koster svømning", "Børn 0-2 år | 600 kr."),
])
def test_no_age_read_where_none_is_asked_or_the_price_is_everyones(question: str, text: str) -> None:
    assert age_fits(question, text) is None


def test_review_cases_of_names_roles_kinds_and_spelling() -> None:
    from rag.danish import numbered_names_missing

    assert numbered_names_missing("Hvor ligger Hal 2?", ["Hal 1 og 2 ligger ved skolen."]) == []
    assert numbered_names_missing("Hvornår kører Linje 15?", ["Linje 14 og 15 kører hver time."]) == []
    assert numbered_names_missing("Er Hal 3 åben?", ["Hal 1-4 er åbne."]) == []
    assert roles_missing("Hvem er formand for klubben i næste sæson?", ["Næstformand: Ole Berg"]) == ["formand"]
    assert classify_question("Hvad er tillægget til lokalplan 12 om?").kind == "other"
    assert classify_question("Hvad er Nobel-prisen?").kind == "other"
    assert classify_question("Hvad er kWh-prisen på VestFast 12?").kind == "number"
    texts = ["Den større hal ligger i Aarhus.", "Sæsonen starter. Svømmeskolen Delfinen."]
    # "Aarhus" is spelt so: no sign of a writer typing æøå as two letters
    assert restore_case("hvor stor er hallen i aarhus", [], texts) == "hvor stor er hallen i Aarhus"
    assert restore_case("hvornar starter saesonen hos svommeskolen", [], texts) \
        == "hvornår starter sæsonen hos svømmeskolen"


def test_season_fits() -> None:
    from rag.danish import season_fits

    asked = "hvad er nettariffen i spidslast om sommeren"
    assert season_fits(asked, "I sommerperioden (april-september) er tariffen 47,3 øre.") is True
    assert season_fits(asked, "Spidslast (kl. 17-21): 94,6 øre") is False
    assert season_fits(asked, "Om vinteren er tariffen 94,6 øre.") is False
    assert season_fits(asked, "Sommerhuse: fast abonnement 1.200 kr.") is False  # a house, not the season
    autumn = "Hvornår starter undervisningen i efteråret?"
    assert season_fits(autumn, "Ingen undervisning i uge 42 (efterårsferien).") is False  # a holiday
    assert season_fits("Hvad koster et sommerhus i Skagen?", "Sommerhuset koster 2 mio. kr.") is None  # no season asked
    assert season_fits("Hvad sker der i sommerferien?", "I sommerferien er der lukket.") is None  # a holiday
    assert season_fits("Hvornår sejler færgen i sommerfartplanen?", "Sommerfartplanen: kl. 7.00") is True


def test_one_range_grammar_for_ages_and_table_brackets() -> None:
    from rag.answer.table import bracket
    from rag.danish import age_bounds, quantity_ranges

    assert quantity_ranges("8–30 dage") == [(8, 30, "dage")]
    assert quantity_ranges("Over 30 dage, under 5 kg") == [(31, None, "dage"), (0, 4, "kg")]
    assert quantity_ranges("til og med 7 dage | 10 kr.", at_start=True) == [(0, 7, "dage")]
    assert quantity_ranges("Pris: 8–30 dage", at_start=True) == []  # not what the text opens with
    assert age_bounds("Seniorer 65+ år og børn under 15 års alderen") == [(65, 150), (0, 14)]
    assert age_bounds("Fejret i 1000 år") == [] and age_bounds("25 år og derover") == [(25, 150)]
    assert age_bounds("for 18-24 årige") == [(18, 24)] and age_bounds("fra 6 årsalderen") == [(6, 150)]
    assert bracket("Over 30 dage | 100 kr.") == (31, 10**9, "dage") and bracket("Cykel | 15.000 kr.") is None


def test_a_week_question_takes_the_week_not_its_dates() -> None:
    from rag.danish import classify_question, sole_expression_of_kind

    def span(q: str, t: str) -> str | None:
        return sole_expression_of_kind(t, classify_question(q), q)

    assert span("hvilken uge har børnene vinterferie", "Vinterferie: uge 7 (9.–13. februar 2026)") == "uge 7"
    assert span("Hvilke uger har de sommerlukket?", "Der er lukket i uge 28 og 29.") == "uge 28 og 29"
    assert span("Hvornår er der vinterferie?", "Vinterferie: uge 7 (9.–13. februar 2026)") != "uge 7"
    assert span("Hvilken uge er der ferie?", "Uge 42 og uge 7 er ferieuger.") == "Uge 42 og uge 7"  # one list
    assert span("Hvilken uge er der vinterferie?", "Vinterferie: uge 7, 9.–13. februar 2026") == "uge 7"  # not the day
    assert span("Hvilken uge er der vinterferie?", "Uge 7: lukket. Uge 8: åbent.") is None  # two: the sentence answers
    assert span("Hvilke uger er der kursus?", "Kurset varer 6 uger 2 gange om ugen.") is None  # a duration


def test_breaks_named() -> None:
    from rag.danish import breaks_named

    assert breaks_named("Sidste skoledag før jul: fredag") == {"jul"}
    assert breaks_named("hvornår er sidste skoledag før sommerferien") == {"sommer"}
    assert breaks_named("Lukket i påsken og i efterårsferien") == {"påske", "efterår"}
    assert breaks_named("Første skoledag i juli om sommeren") == set()  # a month and a season


def test_count_fits() -> None:
    from rag.danish import count_fits

    asked = "Hvad koster et pendlerkort til 3 zoner?"
    assert count_fits(asked, "Et pendlerkort til 3 zoner koster 560 kr.") is True
    assert count_fits(asked, "Et pendlerkort til 2 zoner koster 420 kr.") is False
    assert count_fits(asked, "Et pendlerkort koster 420 kr.") is None
    assert count_fits("Hvad koster en fyldning med fire flader?", "Fyldning, 2 flader | 895 kr.") is False
    assert count_fits("Hvad koster 10 dage?", "8–30 dage | 80 kr.") is None  # a measure in a range: brackets
    assert count_fits(asked, "Pendlerkort 2 – 4 zoner: 620 kr.") is None  # a range is no count of its own
    assert count_fits("Hvad koster det for 25 deltagere?", "Over 20 deltagere | 195 kr.") is None  # a limit
    assert count_fits("Hvad koster 2 billetter?", "Der sælges højst 4 billetter pr. ordre.") is None
    # a count joined to its noun (eval/trial11 r13-26)
    assert count_fits("hvad er huslejen for en 3-værelses lejlighed", "2-værelses lejlighed | 4.575 kr.") is False
    assert count_fits("hvad er huslejen for en 2-værelses", "2-værelses lejlighed | 4.575 kr.") is True
    assert count_fits("Hvad koster menuen for en 10-årig?", "børn fra 4- til 12-årige betaler halv pris") is None


@pytest.mark.parametrize(("question", "asked"), [
    ("Hvad koster det, hvis jeg ikke kommer?", "hvad koster det"),
    ("Hvis jeg ikke kommer, hvad koster det?", "hvad koster det?"),
    ("hvor lang tid før skal jeg aflyse for ikke at betale gebyr", "hvor lang tid før skal jeg aflyse"),
    ("Hvem stemte ikke for loven i 1995?", "hvem stemte ikke for loven i 1995?"),  # the question's own negation
    ("Hvor mange dage om året har biblioteket ikke åbent?", "hvor mange dage om året har biblioteket ikke åbent?"),
    ("Hvorfor så jeg ikke noget lys?", "hvorfor så jeg ikke noget lys?"),  # "så" as a verb: no purpose
    ("For ikke at betale gebyr, hvornår skal jeg aflyse?", "hvornår skal jeg aflyse?"),
])
def test_asked_part_leaves_out_the_askers_case(question: str, asked: str) -> None:
    from rag.danish import asked_part

    assert asked_part(question).strip() == asked


def test_without_asker_age() -> None:
    from rag.danish import without_asker_age

    assert "19" not in without_asker_age("Jeg er 19 og studerende – hvor meget rabat får jeg?")
    assert "22" not in without_asker_age("hvad koster en billet for en på 22 år")
    assert without_asker_age("Hvem blev valgt i 1995, da han var 40 år?") == "Hvem blev valgt i 1995, da han var 40 år?"


def test_measure_fits() -> None:
    from rag.danish import measure_fits

    # a size in persons the question asks for ("til 15 personer"), not a head-count ("vi er 3")
    assert measure_fits("hvad koster en lagkage til 15 personer", "Lagkage | 30 personer | 965 kr.") is False
    assert measure_fits("hvad koster en kagemand til 15 personer", "Kagemand | 15 personer | 425 kr.") is True
    assert measure_fits("hvad koster en hytte hvis vi er 3 personer", "Hytte, 4 personer | 500 kr.") is None

    assert measure_fits("Hvad koster 60 minutters soloundervisning?", "Soloundervisning | 20 min. | 1.650 kr.") is False
    assert measure_fits("hvad koster 30 min solo", "Soloundervisning | 30 min. | 2.450 kr.") is True
    assert measure_fits("Hvad koster det at vaske 12 kg?", "Vaskemaskine, 12 kg (dyner): 20 kr. pr. vask") is True
    assert measure_fits("Hvad koster et olieskift?", "Olieskift | 895 kr.") is None  # no measure asked
    # a bound is no measure of its own: "op til 5 liter olie"
    assert measure_fits("Hvad koster 4 liter olie?", "Olieskift inkl. op til 5 liter olie | 895 kr.") is None


def test_the_groups_of_words_for_the_same_thing_are_consistent() -> None:
    from rag.answer.verify import content_terms
    from rag.danish import IRREGULAR_FORMS, SYNONYMS, same_thing
    from rag.retrieve.lexical import tokenize

    groups = IRREGULAR_FORMS + SYNONYMS
    forms = [w for g in groups for w in g]
    assert len(forms) == len(set(forms))  # no form in two groups
    assert all(w == w.casefold() and " " not in w for w in forms)
    stems = {}
    for i, g in enumerate(groups):
        for w in g:
            for t in tokenize(w):
                assert stems.setdefault(t, i) == i, w  # no stem shared by two groups
    for g in groups:
        assert {frozenset(content_terms(w)) for w in g} == {frozenset(content_terms(g[0]))}, g
    assert same_thing("aflyser", "afbud") and same_thing("børn", "barn") and same_thing("mistet", "bortkomst")
    assert same_thing("rensning", "rengøring") and not same_thing("rengjort", "rengøring")  # "afleveres rengjort"
    assert not same_thing("aflyser", "børn") and not same_thing("cykel", "cykel")
    assert content_terms("Hvad koster det, hvis jeg aflyser?") & content_terms("Afbud koster 100 kr.")
    assert not content_terms("begynder") & content_terms("start")  # a beginner, too (a review)


def test_a_particle_verb_written_apart_meets_its_compound() -> None:
    from rag.answer.verify import content_terms
    from rag.danish import joined_particle_verbs

    assert joined_particle_verbs("hvis vi ikke faar gjort rent efter festen") == ["rengøre"]
    assert joined_particle_verbs("hvordan kan man sige sit medlemskab op") == ["opsige"]
    assert joined_particle_verbs("Rengøring koster 500 kr.") == []
    assert joined_particle_verbs("Vi gør det, der skal til, og vi kommer rent") == []  # too far apart
    assert content_terms("hvad koster det hvis vi ikke får gjort rent") & content_terms("Rengøring: 750 kr.")
    # said as people say it (eval/trial20 r22-04, r22-25, written blind)
    assert joined_particle_verbs("jeg læser på uni, hvad koster det") == ["studerende"]
    assert joined_particle_verbs("hvad koster det hvis jeg glemmer at komme til min tid") == ["udeblive"]
    assert joined_particle_verbs("jeg læser på sofaen") == []
    assert content_terms("jeg læser på uni") & content_terms("Studerende (mod gyldigt studiekort) | 700 kr.")


def test_the_askers_own_case_told_before_the_question_is_no_claim_of_it() -> None:
    from rag.danish import without_askers_case

    assert "20" not in without_askers_case("vi er 20 personer til konfirmation, hvad koster frokostbuffet pr person")
    assert "23" not in without_askers_case("vi har fået et sprængt rør kl 23 en tirsdag aften, hvad er tillægget")
    assert "hvad koster frokostbuffet" in without_askers_case("vi er 20 personer, hvad koster frokostbuffet")
    assert "2002" in without_askers_case("I 2002, hvor mange stemte for?")  # a fronted claim stays
    assert "22" not in without_askers_case("Jeg er 22 år, hvad koster det?")


def test_a_share_is_a_price_only_for_a_condition_that_costs_a_fee() -> None:
    from rag.danish import _priced_share

    late = "Afbud senere end 24 timer før din tid koster 50 % af prisen."
    assert _priced_share(late, "Hvad skal jeg betale hvis jeg aflyser min tid samme morgen?")
    assert _priced_share("Ved udeblivelse opkræves 50 % af prisen.", "hvad koster det hvis jeg udebliver")
    # a deposit or a discount is no price of what the condition names (a review)
    assert not _priced_share("Ved booking betales et depositum på 25 % af lejen.",
                             "Hvad skal jeg betale, hvis jeg booker Marehalm i højsæsonen?")
    assert not _priced_share("Grupper på 8 personer får 15 % rabat.", "Hvad koster det, hvis vi er 8 personer?")
    assert not _priced_share("Unge betaler selv 35 % af regningen.",
                             "Hvor meget skal jeg betale, hvis jeg glemmer min tid?")


def test_an_address_or_a_phone_number_is_no_count_and_its_street_and_town_no_names() -> None:
    from rag.danish import count_numbers, new_names

    letterhead = "Kongeåen Busrejser A/S · Industrivej 31 · 6640 Lunderskov · Tlf. 75 58 23 90 · rejser@kongeaaen.dk"
    assert count_numbers(letterhead) == []
    assert not holds_kind(letterhead, classify_question("hvor mange siddepladser er der i bussen"),
                          "hvor mange siddepladser er der i bussen")
    assert count_numbers("Der er plads til 25 biler ved Industrivej 31.") == ["25"]
    assert count_numbers("I 1850 havde hæren 300 soldater.") == ["1850", "300"]  # a year and a count stay
    assert count_numbers("CVR 41 88 27 15") == [] and count_numbers("Telefon: 86 52 71 40") == []
    assert count_numbers("Kontakt vagten på telefon 40 50 60 70 24 timer i døgnet.") == ["24"]  # eight digits
    assert "Egernvej" not in new_names("Egernvej 7 · 8930 Randers NØ", "hvem skal jeg ringe til")
    assert "Randers" not in new_names("Egernvej 7 · 8930 Randers NØ", "hvem skal jeg ringe til")
    assert new_names("Formand er Hans Olsen.", "hvem er formand") == ["Hans", "Olsen"]


def test_a_fee_named_without_its_article_or_typed_first_asks_a_price() -> None:
    from rag.danish import asks_price

    for q in ("hvad er depositum for et rum på 9 m2 hos Fjordlager", "oprettelsesgebyr fjordlager",
              "depositum lagerlunden", "månedspris 9 m2"):
        assert asks_price(classify_question(q)), q
    for q in ("depositum tilbage", "Hvad er et gebyr?", "gebyr ved afbud gælder det også børn",
              "kontingent betaling østervang"):
        assert not asks_price(classify_question(q)), q
    # asked by the fee's name, the amount must be said under that name (a review: the boxes' rent for their deposit)
    q = "hvad er depositum for flyttekasser"
    assert not holds_kind("Flyttekasser kan lejes for 15 kr. pr. stk. pr. uge.", classify_question(q), q)
    assert holds_kind("Der betales et depositum på 50 kr. pr. kasse.", classify_question(q), q)
    assert holds_kind("2.400 kr.", classify_question(q), q)  # an amount alone: a cell, a model's answer


def test_the_size_of_a_payment_is_its_amount_and_another_fees_amount_is_not_it() -> None:
    from rag.danish import asks_price

    for q in ("hvor stort er depositummet hos Havreholm Gods", "hvor høj er selvrisikoen", "hvor meget er lejen"):
        assert asks_price(classify_question(q)), q
    for q in ("hvor stor er salen", "hvor stor er rabatten"):  # a size; a share as often as an amount
        assert not asks_price(classify_question(q)), q
    q = "hvor stort er depositummet hos Havreholm Gods"
    assert not holds_kind("Mere end 12 måneder før | Depositum refunderes minus et gebyr på 1.500 kr.",
                          classify_question(q), q)
    assert holds_kind("En reservation er først endelig, når depositum på 10.000 kr. er betalt.",
                      classify_question(q), q)
    # a share or months of rent is the size of a payment too (a review)
    for q, text in (("hvor stort er depositummet", "Depositum svarer til 3 måneders husleje."),
                    ("hvor høj er afgiften", "Afgiften er 25 % af varens værdi.")):
        assert holds_kind(text, classify_question(q), q), q
    assert not holds_kind("Rabatten er 25 %.", classify_question("hvor meget koster det"), "hvor meget koster det")


def test_common_words_typed_without_danish_letters_are_read_with_them_in_any_question() -> None:
    texts = ["Jakkesæt, 2 dele | 189 kr.", "Op til 6 børn | 1 bane | 1.095 kr."]
    assert restore_case("hvad koster det at faa renset et jakkesæt i to dele", [], texts) \
        == "hvad koster det at få renset et jakkesæt i to dele"
    assert restore_case("vi er 10 boern til fødselsdagen", [], texts) == "vi er 10 børn til fødselsdagen"
    assert restore_case("Hvornår kom Goethe til Weimar?", [], ["Goethe kom til Weimar i 1775."]) \
        == "Hvornår kom Goethe til Weimar?"  # as the documents spell it


def test_a_name_the_documents_write_only_in_the_genitive_is_a_name() -> None:
    texts = ["Lagerlunden Depotrum ligger i Skanderborg.\nDine ting er ikke dækket af Lagerlundens egen forsikring."]
    assert restore_case("hvad koster det at låne trailer hos lagerlunden", [], texts) \
        == "hvad koster det at låne trailer hos Lagerlunden"


def test_hours_are_counted_with_their_unit() -> None:
    q = "hvor mange timer før fejningen skal brændeovnen være slukket"
    kind = classify_question(q)
    assert not holds_kind("Brændeovn eller pejseindsats | 1 gang om året | 412 kr. | 428 kr.", kind, q)
    assert holds_kind("Ovnen må ikke have været tændt de sidste 12 timer før fejningen.", kind, q)
    q = "hvor mange dage i forvejen skal man bestille en kagemand"
    assert holds_kind("Kagemænd bestilles senest 3 hverdage før afhentning.", classify_question(q), q)  # a compound
    for q, text in (("hvor mange minutter varer en lektion", "En lektion varer 45 min."),
                    ("hvor mange timer tager turen", "Turen tager 2 t. med bus."),
                    ("hvor mange timer om dagen arbejder de", "De arbejder på hverdage fra kl. 7 til 17.")):
        assert holds_kind(text, classify_question(q), q), q  # a unit's abbreviation; a clock span for hours
    q = "hvor mange biler er der plads til"
    assert holds_kind("Parkeringspladsen | 40 | gratis", classify_question(q), q)  # other nouns: a bare number counts


def test_the_askers_case_told_first_is_met_by_a_text_for_the_others() -> None:
    from rag.danish import opposition_unanswered

    q = "jeg bor ikke i lindholm kommune, hvad koster det at blive medlem af aktivitetscentret"
    text = "Borgere fra andre kommuner kan også blive medlem; for dem koster medlemskab 450 kr. om året."
    assert opposition_unanswered(q, text) is None  # a text for the others meets the asker's "ikke"
    members = "Holdene koster 30 kr. pr. gang for medlemmer."
    assert opposition_unanswered("jeg er ikke medlem, hvad koster spinning", members) == "ikke"  # a review
    assert opposition_unanswered("Hvilke partier stemte ikke for loven?", "Venstre stemte for loven.") == "ikke"


def test_how_big_asks_a_size_not_an_amount_unless_it_names_money() -> None:
    from rag.danish import answer_holds_kind

    q = "jeg skal have plads til min 3-værelses lejlighed, hvor stort et rum passer"
    assert not answer_holds_kind("1.095 kr.", classify_question(q), q)
    assert answer_holds_kind("7,5 m²", classify_question(q), q)
    for q in ("Hvor stor er rabatten for studerende", "Hvor stort et beløb fik kommunen", "Hvor stor er lejen"):
        assert answer_holds_kind("50 kr.", classify_question(q), q), q


def test_a_long_word_one_slip_from_the_documents_is_read_as_they_write_it() -> None:
    from rag.danish import mended_typos, restore_case

    rows = ["Vaskemaskine, stor | 14 kg | 19 kr.", "Begynderkursus i topreb | 495 kr."]
    assert mended_typos("hvad koster den store vaskemaskinne", rows) == "hvad koster den store vaskemaskine"
    assert mended_typos("pris på et begynderkurus", rows) == "pris på et begynderkursus"
    assert "vaskemaskine " in restore_case("Hvad koster den store vaskemaskinne i kælderen?", [], rows)
    # an inflection, an ending changed or swapped, a short word and a name stay as typed
    assert mended_typos("hvor mange vaskemaskiner", rows) == "hvor mange vaskemaskiner"
    assert mended_typos("hvem er i udvalgte", ["Udvalget består af tre"]) == "hvem er i udvalgte"
    assert mended_typos("hvornår holder kurserne", ["Kurset holder"]) == "hvornår holder kurserne"
    assert mended_typos("hvem er karin", ["Karen er formand"]) == "hvem er karin"
    # two words one slip away: which one is a guess
    assert mended_typos("hvornår kører skolebosser", ["skolebusser og skoleposser"]) == "hvornår kører skolebosser"
    assert mended_typos("hvornår kører skolebosser", ["skolebusser"]) == "hvornår kører skolebusser"


def test_a_strong_verbs_participle_in_its_two_forms() -> None:
    from rag.danish import classify_question, holds_kind, participles

    assert participles("Tyndslebet", "tyndslebne") and participles("skrevne", "skrevet")
    assert not participles("huset", "husne") and not participles("tyndslebet", "tyndslebet")
    q = "hvad koster tyndslebne progressive glas"
    row = "Progressive glas | 3.400 kr. | 4.600 kr."
    assert holds_kind(row, classify_question(q), q, heading="Glastype | Standard | Tyndslebet")


def test_a_titles_genitive_names_what_a_lower_case_question_asks_of() -> None:
    from rag.danish import restore_case

    titles = ["Bakkegårdens Hundepension", "bakkegaarden hundepension"]  # as `titles` gives a file name
    restored = restore_case("hvad koster bad og børstning på bakkegården", titles, ["Dagpasning koster 165 kr."])
    assert restored.endswith("Bakkegården")


def test_the_askers_case_head_count_place_age_and_relatives() -> None:
    from rag.danish import KIN_WORDS, age_bounds, asked_age, asker_place, head_count

    assert head_count("vi er 4 i familien, hvad koster en kasse") == 4
    assert head_count("vi er fire, hvad koster det") == 4
    assert head_count("en familie på 5") == 5
    assert head_count("vi er 2 voksne og 3 børn på 4, 9 og 12") == 5
    assert head_count("vi er 10 år gamle") is None and head_count("hvad koster en kasse") is None
    assert head_count("vi er 2 voksne og 1 barn") == 3 and head_count("vi er en familie på 5") == 5
    assert head_count("vi er 30 minutter fra jer") is None
    assert asker_place("jeg bor i 5771, hvilken dag kan i levere") == "5771"
    assert asker_place("vi bor i Helsingør, hvad koster kørsel") == "helsingør"
    assert asker_place("hvor bor formanden") is None
    assert asker_place("jeg bor i Store Heddinge, hvad koster levering") == "store heddinge"
    assert age_bounds("Seniortræning 65+ | Onsdag") == [(65, 150)]
    assert age_bounds("18+ personer") == [] and age_bounds("C++ kursus") == []
    assert age_bounds("Timepris | 95 + moms") == [] and asked_age("hvad koster 10 + 2 klippekort") is None
    assert asked_age("jeg er 70 hvad koster kontingent") == (70, 70)
    assert asked_age("min søn er 14 maa han bruge cyklerne") == (14, 14)
    assert asked_age("vi er 70 hvad koster det") is None
    assert asked_age("skal der være en voksen med hvis min 7-årige skal hoppe") == (7, 7)  # eval/trial27 r29-27
    assert asked_age("vores 12 årige vil gerne med") == (12, 12)
    assert {"mormor", "svigermor"} <= KIN_WORDS and "barn" not in KIN_WORDS


def test_a_postcode_after_an_address_separator_is_no_year() -> None:
    from rag.danish import holds_kind

    line = "Fysioterapi Vestergade · Vestergade 18, 1. sal · 8600 Silkeborg · tlf. 86 12 45 70"
    assert not holds_kind(line, "time", "har fysioterapi vestergade åbent fredag, til hvornår")
    assert holds_kind("Klinikken åbnede i 1998.", "time", "hvornår åbnede klinikken")


def test_a_numbers_number_is_no_year() -> None:
    from rag.danish import holds_kind, sole_expression_of_kind

    # eval/trial27 r29-23: "hvornår skal man senest melde sig til" was answered "9213"
    line = "Beløbet betales senest den 5. til fællesskabets konto (reg.nr. 9213, kontonr. 4410228913)."
    question = "hvornår skal man senest betale"
    assert sole_expression_of_kind(line, "time", question) is None
    assert not holds_kind("Indbetal på konto nr. 1998.", "time", question)
    assert sole_expression_of_kind("Foreningen blev stiftet i 1998.", "time", "hvornår blev den stiftet") == "1998"


def test_how_often_is_answered_by_a_frequency_not_any_number() -> None:
    from rag.danish import classify_question, holds_kind

    # eval/trial27 r29-33 quoted "Vi har tre uddannede instruktører …"
    question = "maa jeg tage min kæreste med til træning i fitlokal, hvor ofte"
    kind = classify_question(question)
    assert not holds_kind("Vi har tre uddannede instruktører, som tilbyder personlig træning.", kind, question)
    assert holds_kind("Som medlem må du tage en gæst med to gange om måneden.", kind, question)
    often = "hvor tit er der generalforsamling"
    assert holds_kind("Generalforsamlingen holdes hvert andet år.", classify_question(often), often)


def test_the_week_of_a_date_given_with_its_weekday_or_year() -> None:
    import datetime as dt

    from rag.danish import asked_week, date_week

    today = dt.date(2026, 12, 7)
    assert date_week("er der fællesspisning tirsdag d. 15 juli", today) == 29  # a Tuesday in 2025
    assert date_week("hvad med den 3. marts 2026", today) == 10
    assert date_week("hvad koster det d. 15 juli", today) is None  # no weekday, no year: the week moves
    assert date_week("fra 1. juli til 15. juli", today) is None  # two dates
    assert asked_week("kommer i i uge 30") == 30  # a week named is read first


def test_a_party_told_by_its_groups_and_a_price_asked_as_it_becomes() -> None:
    from rag.danish import asked_minutes, classify_question, party_makeup

    question = "vi er to voksne og to børn på 7 og 9 der vil hoppe i halvanden time. hvad bliver prisen"
    assert party_makeup(question) == {"voksen": 2, "barn": 2} == party_makeup("Familiebillet (2 voksne + 2 børn)")
    assert party_makeup("hvad koster en billet") == {}
    assert classify_question(question).kind == "number"  # "hvad bliver prisen" asks a price (trial27 r29-03)
    assert classify_question("hvad kommer en uge til at koste").kind == "other"  # the cue names no week
    assert asked_minutes(question) == 90
    assert asked_minutes("en halv time eller to timer") is None  # two lengths


def test_restoring_letters_by_root_and_names_typed_half_capitalised() -> None:
    from rag.danish import restore_case

    texts = ["Seniortræning 65+ i træningssalen", "Skinnende Hjem I/S · Viby Ringvej 201", "på hold"]
    assert restore_case("vil gerne traene paa hold", [], texts) == "vil gerne træne på hold"
    assert restore_case("hvad koster Skinnende hjem pr time", [], texts) == "hvad koster Skinnende Hjem pr time"
    assert restore_case("hvad koster et skinnende hjem", [], ["et skinnende hjem"]) == "hvad koster et skinnende hjem"


def test_a_yes_no_question_after_the_askers_case_and_the_bounds_it_is_answered_by() -> None:
    from rag.danish import asked_part, asks_yes_no_after_case, bounds_in, measures_given, without_askers_case

    assert asks_yes_no_after_case("min autocamper er 2,30 m høj, kan den vaskes hos glansvask")
    assert asks_yes_no_after_case("jeg bor 60 km fra Hovedgård, kan Bjerre Brænde levere til mig")
    assert not asks_yes_no_after_case("jeg bor i 5771, hvilken dag kan i levere")
    assert without_askers_case("jeg bor 60 km fra Hovedgård, kan Bjerre levere").strip() == "kan Bjerre levere"
    assert bounds_in("Biler over 2,40 meter kan ikke vaskes. Op til 20 km: gratis") == [("2,40", "m"), ("20", "km")]
    assert measures_given("min autocamper er 2,30 m høj") == [("2,30", "m")]
    # what the asker cannot do is their case, no negation asked; not being a member is
    assert "ikke" not in asked_part("min mor kan ikke selv komme, hvad koster et hjemmebesøg")
    # … an adverb between (eval/trial27 r29-30)
    assert "ikke" not in asked_part("jeg har booket plads men kan alligevel ikke, får jeg pengene tilbage")
    assert "ikke" in asked_part("jeg er ikke medlem, hvad koster en billet")
    assert "ikke medlem" in asked_part("jeg er ikke medlem og kan ikke komme om dagen, hvad koster en billet")
    assert asks_yes_no_after_case("min søn går i 3. klasse, må han deltage")


def test_a_house_number_is_no_year() -> None:
    from rag.danish import sole_expression_of_kind

    row = "GlansVask Hjallese | Hjallesevej 230, 5260 Odense S | Mandag-lørdag kl. 7-21, søndag kl. 8-20"
    assert sole_expression_of_kind(row, "time", "hvornår har glansvask åbent om søndagen") is None
    assert sole_expression_of_kind("Vaskehallen åbnede i 1998.", "time", "hvornår åbnede den") == "1998"


def test_spans_counted_down_or_bounded_in_words() -> None:
    from rag.danish import age_bounds, quantity_ranges

    # a cancellation table counts down (eval/trial19 r21-31)
    assert quantity_ranges("60–30 dage før afhentning") == [(30, 60, "dage")]
    assert quantity_ranges("Mere end 60 dage før") == [(61, None, "dage")]
    assert quantity_ranges("mindre end 8 dage, højst 4 personer") == [(0, 7, "dage"), (0, 4, "personer")]
    assert age_bounds("Du skal have haft kørekort i mindst 3 år") == []  # a duration, not an age (a review)
    assert quantity_ranges("2026-27 sæsonen") == [(2026, 27, "sæsonen")]  # a season, not a span of 27-2026


def test_spans_with_thousands_grouped_by_dots_and_square_metres_however_typed() -> None:
    from rag.danish import quantity_ranges, square_metres, units_as_written

    # eval/trial23 r25-28 (written blind): the lawn bands read as no band
    assert quantity_ranges("1.001-2.000 m²") == [(1001, 2000, "m²")]
    assert quantity_ranges("Over 2.000 m²") == [(2001, None, "m²")]
    assert quantity_ranges("2.000-1.000 kr. før") == [(1000, 2000, "kr")]
    assert quantity_ranges("4.-6. klasse") == [(4, 6, "klasse")]  # ordinals, not thousands
    assert square_metres("en plæne på 2500 m2 og 40 kvm terrasse") == "en plæne på 2500 m² og 40 m² terrasse"
    assert square_metres("m2 alene, 2 meter") == "m2 alene, 2 meter"  # after a number only
    rows = ["Op til 200 m² | 225 kr.", "201-500 m² | 295 kr."]
    assert units_as_written("en plæne på 350 kvm", rows) == "en plæne på 350 m²"
    assert units_as_written("et hus på 95 kvadratmeter", ["Op til 200 m2 | 225 kr."]) == "et hus på 95 m2"
    assert units_as_written("en plæne på 350 kvm", ["Pris pr. time: 300 kr."]) == "en plæne på 350 kvm"
    # "m2" stays as typed: read as "m²" every m² row of every price list shared the unit (a review)
    assert units_as_written("en plæne på 400 m2", rows) == "en plæne på 400 m2"


def test_the_askers_own_condition_told_first_is_their_case() -> None:
    from rag.danish import without_askers_case

    told = "hvis vi aflyser autocamperen 45 dage før vi skal hente den, hvad skal vi så betale"
    assert "45" not in without_askers_case(told)
    # a condition on what is asked about is the question's own (SQuAD-da)
    assert "9" in without_askers_case("Hvis q=9 og a=3,6 eller 9, hvor mange primtal ville være i progressionen?")


def test_not_turning_up_is_udeblivelse() -> None:
    from rag.danish import joined_particle_verbs

    assert joined_particle_verbs("hvad skal jeg betale hvis jeg bare ikke dukker op til min negletid") == ["udeblive"]
    assert joined_particle_verbs("hvis jeg ikke møder op") == ["udeblive"]
    assert joined_particle_verbs("gæsterne dukkede op kl. 18") == ["fremmøde"]


def test_a_share_of_the_price_in_words_answers_a_penalty_of_its_kind() -> None:
    from rag.danish import classify_question, holds_kind

    q = "hvad skal jeg betale hvis jeg bare ikke dukker op til min negletid"
    kind = classify_question(q)
    assert holds_kind("Udebliver du uden afbud, opkræves den fulde pris for den bookede behandling.", kind, q)
    assert not holds_kind("Kommer du for sent, afkorter vi behandlingen.", kind, q)
    # another condition's share is no answer: a deposit for booking
    booked = "hvad skal jeg betale hvis jeg booker en tid"
    assert not holds_kind("Udebliver du, opkræves den fulde pris.", classify_question(booked), booked)


def test_months_asked_and_periods_given() -> None:
    from rag.danish import asked_month, months_covered

    assert asked_month("hvornår åbner fiskesøen om morgenen i november") == 11
    assert asked_month("hvad skete der den 3. juli") is None and asked_month("lukket i juni-august") is None
    assert months_covered("1. oktober – 31. marts | alle dage kl. 8.00–16.00") == {10, 11, 12, 1, 2, 3}
    assert months_covered("fra maj til august") == {5, 6, 7, 8}


def test_opening_at_a_part_of_the_day_asks_a_clock_time() -> None:
    from rag.danish import classify_question, holds_kind

    q = "hvornår åbner fiskesøen om morgenen i november"
    kind = classify_question(q)
    assert not holds_kind("Lørdag den 28. november 2026: Julefiskeri med gløgg og æbleskiver.", kind, q)
    assert holds_kind("1. oktober – 31. marts | alle dage kl. 8.00–16.00", kind, q)


def test_an_amount_for_another_thing_of_the_same_sentence() -> None:
    from rag.danish import amount_for_another

    s = "En 20-årig aftale koster 12.900 kr. for et urnegravsted og 20.700 kr. for et kistegravsted med én plads."
    q = "forudbetalt vedligeholdelse 20 aar kistegravsted en plads hvad koster det"
    assert amount_for_another("12.900 kr.", s, q) and not amount_for_another("20.700 kr.", s, q)
    assert not amount_for_another("12.900 kr.", s, "hvad koster en 20-årig aftale")  # neither thing asked


def test_a_heading_ticket_names_what_is_priced() -> None:
    from rag.danish import names_what_is_priced

    q = "jeg er 72 og vil gerne fiske en hel dag, hvad koster det"
    row = "Pensionist (65+) | 110 kr. | 210 kr. | 1.900 kr."
    assert names_what_is_priced(row, q, heading="Fiskekort 2026 Billettype 3 timer Dagkort Sæsonkort")
    assert not names_what_is_priced(row, q, heading="Leje af grej")


def test_a_thing_is_named_by_a_word_for_the_same_thing() -> None:
    from rag.danish import names_what_is_priced

    # eval/trial20 r22-02 (written blind): "ketcher" is the centre's "Ketsjer"
    q = "hvad koster det at låne en ketcher til padel"
    assert names_what_is_priced("Ketsjer | kr. 40,- pr. booking", q)
    # a word for the same thing is not: another vaccination's price (trial2 r4-34, unanswerable)
    q = "Hvad koster en vaccination mod hepatitis A hos Lægerne ved Torvet?"
    assert not names_what_is_priced("Andre kan blive vaccineret for 200 kr.", q)


def test_the_last_day_asked_is_a_time_and_a_christmas_greeting_is_none() -> None:
    # eval/trial20 r22-09 (written blind)
    q = "hvad er sidste dag man kan koebe juletrae hos skovly plantage"
    assert classify_question(q).kind == TIME
    assert not holds_kind("Glædelig jul fra Niels, Hanne og hele familien på Skovly!", classify_question(q), q)
    assert holds_kind("Mandag 22. december (sidste salgsdag) | kl. 10-14", classify_question(q), q)
    assert holds_kind("Vi holder lukket i julen.", TIME, "hvornår har I lukket")


def test_trial21_kinds_in_the_lexicon() -> None:
    """eval/trial21 (written blind): "boks" is a "box"; "om eftermiddagen" asks a clock time; hours are
    minutes; a size given as a bound holds what fits in it."""
    from rag.danish import dimensions_differ, measure_fits, names_what_is_priced

    assert names_what_is_priced("Stor box (4 x 4 m) | Hø, mugning | 3.150 kr. pr. måned", "hvad koster en stor boks")
    q = "hvornår bliver hestene taget ind om eftermiddagen i januar"
    assert not holds_kind("1. november-31. marts", classify_question(q), q)
    assert holds_kind("I vinterhalvåret (1. november-31. marts) tages de ind kl. 15.30.", classify_question(q), q)
    assert measure_fits("vi vil hoppe i 3 timer", "Mini Hop (børn 1-5 år, 60 min.) | 89 kr.") is False
    assert measure_fits("min søn vil hoppe i 2 timer", "120 minutter | 239 kr. | 269 kr.") is True
    q = "hvad koster en tatovering paa ca 8x8 cm"
    assert not dimensions_differ(q, "Mellem (op til 10 x 15 cm) | Motiv på underarm | 1.800 kr.")
    assert dimensions_differ(q, "Lille (op til 6 x 6 cm) | Dato, lille blomst | 950 kr.")


def test_how_long_asks_a_duration_and_no_time_is_the_askers_inability() -> None:
    from rag.danish import asked_part

    q = "hvor lang tid før skal jeg melde afbud for ikke at miste depositum"  # eval/trial21 r23-11
    assert not holds_kind("Du kan flytte din tid én gang uden at miste depositummet.", classify_question(q), q)
    assert holds_kind("Afbud skal ske senest 48 timer før din tid.", classify_question(q), q)
    assert holds_kind("Krigen varede fra 1756 til 1763.", classify_question("Hvor lang tid varede krigen?"),
                      "Hvor lang tid varede krigen?")
    # eval/trial21 r23-26: "har ikke tid til" tells what the asker cannot do, no negation asked
    assert "ikke" not in asked_part("jeg har ikke tid til at ride min hest så meget, hvad koster det hvis I rider den")


def test_the_review_of_the_trial21_rules() -> None:
    """A review's misfires of the trial21 rules: each a case they must leave alone."""
    from rag.danish import asked_part, dimensions_differ, names_what_is_priced

    assert names_what_is_priced("Rengøring af tagrender | 850 kr.", "hvad koster rensning af tagrender")  # a synonym
    for q, text in (("hvor lang tid er leveringstiden", "Leveringstiden er normalt 2-4 hverdage."),
                    ("hvor lang tid tager en tatovering", "Det tager typisk en halv time."),
                    ("Hvor lang tid varede byggeriet af Rundetårn?", "Det tog tretten år."),
                    ("hvor lang tid er der åbent i dag", "Vi har åbent 10-16.")):
        assert holds_kind(text, classify_question(q), q), q
    q = "hvornår er der træning om aftenen"  # a day part with no verb asking a time of day
    assert holds_kind("Vi træner om aftenen hver tirsdag og torsdag.", classify_question(q), q)
    assert dimensions_differ("hvad koster et fotoprint i 20x30 cm",
                             "Fotoprint i 10 x 15 cm koster 5 kr., og vi printer alle størrelser op til 30 x 40 cm.")
    assert "ikke" in asked_part("vi har ikke mulighed for at komme til samtalen, hvad sker der så")


def test_hours_of_the_day_asked_are_no_year() -> None:
    from rag.danish import classify_question, holds_kind

    question = "hvornår har Alpefalken telefontid"
    kind = classify_question(question)
    assert not holds_kind("Alpefalken Rejser har kørt skiløbere til Alperne siden 1998.", kind, question)
    assert holds_kind("Kundeservice: hverdage kl. 9-16.", kind, question)
    assert holds_kind("Vi startede i 1998.", kind, "hvornår startede Alpefalken")  # a year asked
    assert holds_kind("Telefontiden er alle hverdage fra 8 til 9.", kind, question)  # hours in words
    assert holds_kind("Vi holder lukket fra 23. december 2026 til 2. januar 2027.", kind, question)


def test_trial23_kinds_in_the_lexicon() -> None:
    """eval/trial23 (written blind): a notice period counted down with "til", the asker cancelling in
    the infinitive a few words on."""
    from rag.danish import cancelled_by_business, quantity_ranges

    assert quantity_ranges("14 til 3 dage før kursusstart", at_start=True) == [(3, 14, "dage")]
    question = "jeg har booket begynderkursus på kiteskolen men bliver nød til at aflyse 5 dage før"
    assert cancelled_by_business("Er vinden over 25 knob, aflyser vi undervisningen.", question)
    assert not cancelled_by_business("Er vinden over 25 knob, aflyser vi undervisningen.", "hvad koster kurset")


def test_parts_of_the_day_two_questions_in_one_and_opening_asked() -> None:
    from rag.danish import asked_day_part, asks_open, asks_two_things, names_day_part

    assert asked_day_part("hvilke dage sejler de om aftenen og hvornår") == "aften"
    assert asked_day_part("er der åbent om formiddagen") == "formiddag"
    assert asked_day_part("hvornår sejler de") is None
    assert names_day_part("Aftensejlads med kaffe og kage | fredag og lørdag | kl. 19.00", "aften")
    assert not names_day_part("Fjordtur | tirsdag-søndag | kl. 10.00", "aften")
    assert asks_two_things("hvilke dage sejler de om aftenen og hvornår")
    assert asks_two_things("hvad koster det, og hvor lang tid tager det")
    assert not asks_two_things("hvad koster det hvis jeg kommer og henter")
    from rag.danish import question_parts

    assert question_parts("hvilke dage sejler de om aftenen og hvornår") \
        == ("hvilke dage sejler de om aftenen", "hvornår")
    assert question_parts("vi er 5 i familien, hvad koster det pr gang") is None
    assert asks_open("har dykkerbutikken åben om søndagen i januar") and asks_open("hvornår lukker I")
    assert not asks_open("må vi tage hunden med")


def test_a_weekday_typed_without_danish_letters_is_respelt_though_no_passage_writes_it() -> None:
    # eval/trial24 r26-24 (written blind): the passage of "Søndag og helligdage | lukket" was not found
    assert restore_case("kan jeg bestille et cykelbud om soendagen", [], ["Bestilling: ring til os."]) \
        == "kan jeg bestille et cykelbud om søndagen"
    assert restore_case("aabent loerdag", [], []) == "åbent lørdag"


def test_the_notice_a_cancellation_rule_is_for_counted_back_from_the_start() -> None:
    from rag.danish import asker_notice, notice_window

    # eval/trial24 r26-12 (written blind): a dive centre's three refund lines
    assert notice_window("Afbud indtil 14 dage før kursusstart: fuld refusion minus et gebyr på 200 kr.") \
        == (14.0, float("inf"))
    lo, hi = notice_window("Afbud senere end 14 dage, men mere end 48 timer før kursusstart: 50 % refunderes.") \
        or (0.0, 0.0)
    assert 2 < lo < 2.01 and 13.99 < hi < 14
    assert notice_window("Afbud mindre end 48 timer før kursusstart: ingen refusion.") == (0.0, 1.999)
    assert notice_window("Afbud skal gives senest kl. 12 samme dag via sms.") is None  # a clock, no notice
    assert notice_window("Melder eleven afbud, gives der ikke erstatningstime.") is None
    assert asker_notice("jeg bliver nødt til at melde afbud 5 dage før dykkerkurset starter") == 5
    assert asker_notice("hvis jeg melder fra en uge før") == 7 and asker_notice("dagen før") == 1
    assert asker_notice("jeg kommer før kl 9") is None


def test_a_clock_span_is_no_date_in_digits() -> None:
    from rag.danish import FULL_DATE, TIME, QuestionKind, sole_expression_of_kind

    # eval/trial17 r19-26: "kl. 9.30-10.30" was read as the date "9.30-10" and answered so
    assert sole_expression_of_kind("Seniortræning 65+ | Onsdag | kl. 9.30-10.30 | 900 kr.",
                                   QuestionKind(TIME, True, "hvornår"), "hvornår træner holdet") is None
    assert [m.group(0) for m in FULL_DATE.finditer("den 24.12.2025 og 1/5/24, ikke 12.13.2020")] \
        == ["24.12.2025", "1/5/24"]


def test_a_business_charging_is_a_price_and_its_cue_names_no_business() -> None:
    from rag.danish import asks_price

    kind = classify_question("hvad tager Mjav for at klippe kløer på min kat")
    assert asks_price(kind) and kind.cue == "hvad tager"  # the cue's words are dropped from the topic


def test_the_asker_cancelling_the_same_day_gives_no_notice() -> None:
    from rag.danish import asker_notice

    assert asker_notice("jeg bliver nød til at aflyse rengøringen samme morgen") == 0.0
    assert asker_notice("hvis jeg aflyser samme dag") == 0.0
    assert asker_notice("hvad koster det at aflyse") is None


def test_yesterday_is_a_time_word_and_the_plural_you_going_is_not() -> None:
    from rag.danish import TIME_WORD

    assert TIME_WORD.search("Jeg kom i går.") is not None
    assert TIME_WORD.search("se efter reder, før I går i gang") is None  # eval/trial26 r28-04
    assert TIME_WORD.search("I går ind ad hovedindgangen") is None


def test_a_particle_verb_is_read_as_its_compound_alone() -> None:
    from rag.answer.verify import content_terms
    from rag.danish import split_particle_verbs

    assert split_particle_verbs("hvis jeg vil melde mig ud af klubben") == {"melde"}
    leaving = content_terms("hvis jeg vil melde mig ud af klubben")
    joining = content_terms("Melder man sig ind efter 1. august, betales halvt kontingent.")
    assert "meld" not in leaving and "meld" not in joining  # "melde … ud" is no "melder … ind" (trial26 r28-22)
    assert content_terms("Udmeldelse skal ske skriftligt.") & leaving
    assert "meld" in content_terms("Meld afbud senest dagen før.")  # no particle: the verb itself
    assert "lev" in content_terms("Passagerjernbanen leveres af Amtrak.")  # "af" a preposition: the verb stays


def test_a_time_of_day_asked_outright_takes_a_clock_or_a_part_of_the_day() -> None:
    from rag.danish import holds_kind

    question = "hvornår på dagen er det bedst at ringe til kattehotellet"  # as respelt from "hvornaar paa"
    kind = classify_question(question)
    assert not holds_kind("Vaccination | senest 10 dage før ankomst", kind, question)  # eval/trial26 r28-14
    assert holds_kind("Ring helst mellem kl. 9 og 11.", kind, question)
    assert holds_kind("Vaccination senest 10 dage før ankomst", kind, "hvornår skal katten være vaccineret")


def test_a_compounds_last_part_takes_the_documents_letters() -> None:
    from rag.danish import restore_case

    texts = ["Din kat skal være ID-mærket med chip, og chipnummeret skal oplyses ved booking."]
    assert "chipmærket" in restore_case("skal katten vaere chipmaerket for at bo paa pelsen", [], texts)  # trial26
    assert "chipmaerket" in restore_case("skal katten vaere chipmaerket", [], ["Katten skal være vaccineret."])
