"""What a question pins down (year, quarter, edition, qualifiers, names) and how evidence meets it."""
from __future__ import annotations

import pytest

from qa.answer.constraints import extract
from qa.answer.kinds import cut_short, fits, kind_of, whole_amount


def pins(question: str) -> set[tuple[str, str]]:
    return {(p.kind, p.value) for p in extract(question).pins if p.kind != "name"}


@pytest.mark.parametrize("question, expected", [
    ("Who won the men's singles title at Wimbledon in 2013?", {("year", "2013"), ("qualifier", "men"),
                                                               ("qualifier", "singles")}),
    ("What was the company's revenue in Q2 2020?", {("quarter", "2"), ("year", "2020")}),
    ("What did the bank earn in the second quarter?", {("quarter", "2")}),
    ("How much did it lose in the first-half of 2019?", {("half", "1"), ("year", "2019")}),
    ("Which film won Best Picture at the 92nd Academy Awards?", {("ordinal", "92")}),
    ("When did season 4 of the show premiere?", {("ordinal", "4")}),
    ("When will the first season of the series air?", {("ordinal", "1")}),
    ("Who directed Part II?", {("number", "2")}),
    ("When was the Model 3 released?", {("number", "3")}),
    ("What happened on April 19?", {("date", "04-19")}),
    ("Who is the chief executive?", set()),
])
def test_the_shapes_a_question_pins(question, expected):
    assert pins(question) == expected


def test_names_are_pinned_without_question_words():
    names = [p.value for p in extract("Who won the women's singles U.S. Open in 2019?").pins if p.kind == "name"]
    assert names == ["open"]  # "Who" is no name; "U.S." is single letters
    assert [p.value for p in extract("Whom did Rubio meet in Paris?").pins if p.kind == "name"] == ["rubio", "pari"]  # stems


def test_a_year_is_met_by_the_sentence_or_else_its_context_or_article_date():
    q = extract("Who won the Kestrel Cup in 2021?")
    assert q.check("Anna Berg won the 2021 Kestrel Cup.").met
    assert q.check("Anna Berg won the Kestrel Cup.", context="The 2021 Kestrel Cup ended on Sunday.").met
    assert q.check("Anna Berg won the Kestrel Cup on Sunday.", date="2021-06-02").met  # "in 2021" vs an article dated 2021


def test_another_year_in_the_sentence_contradicts_and_names_the_rival():
    q = extract("Who won the Kestrel Cup in 2019?")
    check = q.check("Anna Berg won the 2021 Kestrel Cup.", context="The 2019 Kestrel Cup was cancelled.")
    assert not check.met and check.contradicted
    assert [(str(pin), value) for pin, value in check.rivals] == [("2019", "2021")]
    dated = q.check("Anna Berg won the Kestrel Cup on Sunday.", date="2021-06-02")
    assert not dated.met and dated.rivals[0][1] == "2021"  # an article of 2021 reporting an undated win


def test_a_year_glued_to_a_trademark_sign_is_still_a_year():
    check = extract("Who won the World Cup Final in 2018?").check(
        "Argentina v France | Final | FIFA World Cup Qatar 2022™ | Highlights.",
        "Take a look at Kylian Mbappe's best plays in the 2018 World Cup ...", "2022-12-17")
    assert not check.met and check.rivals[0][1] == "2022"


def test_quarters_editions_and_qualifiers_must_match():
    assert extract("What was revenue in Q1 2021?").check("First-quarter revenue rose to $10.4 billion in 2021.").met
    assert not extract("What was revenue in Q1 2021?").check("Second-quarter revenue was $12 billion in 2021.").met
    assert extract("Who won at the 92nd Academy Awards?").check("At the 92nd Academy Awards, Joaquin Phoenix won.").met
    assert not extract("Who won at the 92nd Academy Awards?").check("At the 91st Academy Awards, Rami Malek won.").met
    assert extract("Who starred in season 4?").check("The fourth season stars Ann Lee.").met
    assert extract("When was Diablo 3 released?").check("Diablo III was released on May 15, 2012.").met
    women = extract("Who won the women's singles?")
    assert not women.check("Rafael Nadal won the men's singles title.").met
    assert women.check("Bianca Andreescu won the women's singles title.").met
    assert women.check("Bianca Andreescu won the title.").met  # unqualified evidence is no rival


def test_several_names_must_mostly_be_in_the_sentence_or_its_passage():
    q = extract("Who won the U.S. Open final at Flushing Meadows in 2019?")
    assert not q.check("Simona Halep won Wimbledon in 2019.").met
    assert q.check("Andreescu beat Serena Williams in 2019.", context="US Open final report from Flushing").met
    assert extract("Who won the U.S. Open in 2019?").check("Andreescu won in 2019.").met  # one name: ranking only


def test_a_passage_ranks_by_the_share_of_pins_it_holds():
    q = extract("Who won the Kestrel Cup in 2019?")
    assert q.score("The 2019 Kestrel Cup went to Berg.") == 1.0
    assert q.score("The 2021 Kestrel Cup went to Berg.") < 1.0


def test_a_missing_name_costs_a_passage_less_than_a_missing_year():
    """In a recurring archive the year tells the pages apart; a snippet often leaves out whom it is about."""
    q = extract("What was Kestrel's revenue in Q1 2021?")
    assert q.score("Revenue was $7.2 billion in Q1 2021.") > q.score("Kestrel's Q1 2023 revenue was $9.8 billion.")


@pytest.mark.parametrize("question, kind", [
    ("Who won the 2013 title?", "person"), ("When was the deal signed?", "date"),
    ("What is the release date of the game?", "date"), ("How much did Google pay for YouTube?", "amount"),
    ("How many people were hurt?", "count"), ("Which city hosted the games?", "place"),
    ("What deadline was set?", "any"),
])
def test_the_kind_of_answer_a_question_asks_for(question, kind):
    assert kind_of(question) == kind


def test_answers_of_the_wrong_kind_do_not_fit():
    assert fits("Who won the Oscar?", "Joaquin Phoenix")
    assert not fits("Who won the Oscar?", "April 19")
    assert not fits("Whom did Sybiha meet?", "Sybiha")  # only repeats the question
    assert fits("When was it released?", "May 15, 2012") and not fits("When was it released?", "Blizzard")
    assert fits("How many people died?", "forty") and not fits("How many people died?", "many")
    assert not fits("How much did Google pay?", "1.65")  # a bare number is not an amount
    assert fits("How much did Google pay?", "$1.65 billion")


@pytest.mark.parametrize("question", ["How long will the firm be protected from creditors?",
                                      "Within what time frame must the deal be agreed?", "For how long was he out?"])
def test_a_how_long_question_is_answered_by_a_span_of_time(question):
    assert kind_of(question) == "duration"
    for answer in ("180 days", "three weeks", "a matter of days", "weeks and months on end", "until April"):
        assert fits(question, answer), answer
    assert not fits(question, "Rubio") and not fits(question, "the creditors")
    assert kind_of("How long ago did the fire start?") != "duration"  # asks when


@pytest.mark.parametrize("answer, right", [
    ("later this month", False), ("April", False), ("2015", False), ("next week", False),
    ("April 29", True), ("29th of April 2015", True), ("Nov. 18, 2020", True), ("Thursday", True), ("2021-07-29", True),
])
def test_a_question_asking_for_a_day_is_answered_by_a_day(answer, right):
    assert fits("On what date will the console go on sale?", answer) is right
    assert fits("When will the console go on sale?", answer)  # a when-question takes a month or a year


def test_a_score_or_a_decimal_is_no_day():
    for answer in ("1-0", "2.5"):
        assert not fits("On what date will the console go on sale?", answer)
    assert fits("On what date will the console go on sale?", "7/29/2021")


@pytest.mark.parametrize("answer, right", [("3 years", False), ("£1.5m", True), ("US$5m", True), ("40 pence", True),
                                           ("1.2 billion euros", True), ("Rs. 500 crore", True)])
def test_a_payment_is_answered_with_a_sum_of_money(answer, right):
    """"3 years" is an amount, but not of what was paid; a change ("by how much…") may be a share."""
    assert fits("How much did the broadcaster pay for the rights?", answer) is right
    assert fits("By how much did the cost rise?", "5%")


def test_an_amount_a_snippet_is_cut_after_is_not_whole():
    """"…worth $7.389 ..." lost what followed the number ("billion"): it cannot be shown whole."""
    cut = "Its revenue rose from the year before, when the top line was worth $7.389 ..."
    question = "What was Kestrel's revenue in 2020?"
    assert cut_short(question, "$7.389", cut)
    assert not cut_short(question, "$7.389 billion", cut)  # the model's answer carries its scale
    assert not cut_short(question, "$7.389", "The top line was worth $7.389 billion ...")  # the cut comes later
    assert not cut_short("Who ran Kestrel in 2020?", "7.389", cut)  # amounts only
    assert not cut_short(question, "$5", "It sold shares at $5, down from $25 ...")  # "$25" is not "$5"
    assert not cut_short(question, "$5", 'He said: "We paid $5 ...', ' and no more."')  # a pause, not an elision
    assert cut_short(question, "GBP 500", "The fund was worth GBP 500 ...")  # "GBP" is a currency, not a unit
    assert cut_short(question, "$7.389", "The top line was worth $7.389… The firm grew.")  # an elision mid-passage


def test_a_currency_code_is_a_word():
    """"Rs" inside "years" is no rupee sign: "Over the years 500 stores opened" holds no amount."""
    assert whole_amount("500", "Over the years 500 stores opened.") == "500"
    assert not fits("What was the revenue?", "over the years 500")
    assert fits("What was the revenue?", "USD5bn") and fits("What was the revenue?", "Rs.500")


def test_a_partial_amount_is_shown_whole_from_its_sentence():
    sentence = "The state will invest 4.1 million euros in the port, the ministry said."
    assert whole_amount("4.1", sentence) == "4.1 million euros"
    assert whole_amount("$1.65 billion", "Google paid $1.65 billion in stock.") == "$1.65 billion"
    assert whole_amount("£593.4", "Profits were £593.4bn last year.") == "£593.4bn"


def test_a_partial_date_is_shown_whole_from_its_sentence():
    from qa.answer.kinds import whole_date

    assert whole_date("April 29", "It was released in Japan on April 29, 2015.") == "April 29, 2015"
    assert whole_date("29 April", "Released on 29 April 2015 in Japan.") == "29 April 2015"
    assert whole_date("April 29, 2015", "on April 29, 2015") == "April 29, 2015"
    assert whole_date("on Thursday", "They met on Thursday.") == "on Thursday"
    assert kind_of("What was Tesla's revenue in Q1 2021?") == "amount"
    assert kind_of("At what time did the polls close?") == "date"
    assert kind_of("Within what time frame must the deal be agreed?") == "duration"  # a span, not a date
    from qa.answer.kinds import core

    assert core("What is the date of the 2020 draft?", "2020 NBA draft was held on November 18, 2020") == "November 18, 2020"
    assert core("How much did Google pay?", "Google paid $1.65 billion in stock for it") == "$1.65 billion"
    assert core("Who won?", "Andy Murray, who beat Novak Djokovic in the final") == "Andy Murray, who beat Novak Djokovic in the final"
    from qa.answer.kinds import restate_date

    assert restate_date("7/29/2021", "The draft was held on July 29, 2021, in Brooklyn.") == "July 29, 2021"
    assert restate_date("2021-07-29", "held on 29 July 2021") == "29 July 2021"
    assert restate_date("7/30/2021", "held on July 29, 2021") == "7/30/2021"
    from qa.answer.kinds import counted

    two_three = ('"Two European diplomats confirmed Rubio said Trump was losing his patience," the portal wrote, '
                 'adding that "three European diplomats felt Rubio\'s comments were mostly aimed at the Ukrainians."')
    assert counted("How many European diplomats felt Rubio's comments were mostly aimed at the Ukrainians?", "2", two_three) == "three"
    assert counted("How many European diplomats confirmed Rubio said Trump was losing his patience?", "2", two_three) == "2"
    toll = "Airstrikes went on, killing at least two people and injuring more than 100 in the cities of Kharkiv and Sumy."
    assert counted("How many people were injured in the airstrikes on Kharkiv and Sumy?", "100", toll) == "100"
    assert counted("How many people were injured in the airstrikes on Kharkiv and Sumy?", "2", toll) == "100"


def test_a_group_of_people_is_no_ones_name():
    assert not fits("Who chairs the harbour committee?", "MPs and peers")  # "MPs": a group, not a person
    assert fits("Who chairs the harbour committee?", "Ana Kestrel") and fits("Who chairs the harbour committee?", "the BBC")


def test_a_figure_stands_only_in_a_sentence_saying_what_it_measures():
    """A number does not tell what it measures, its sentence does."""
    from qa.answer.verify import measures_what_is_asked

    spend = "How much did Aston Martin spend on developing the V8 Vantage?"
    assert not measures_what_is_asked(spend, "With a price tag under £80,000, the V8 Vantage is cheaper than other Astons.")
    assert measures_what_is_asked(spend, "Aston Martin spent £80m developing the V8 Vantage.")
    staff = "How many people does Varig, Brazil's biggest airline, employ?"
    assert not measures_what_is_asked(staff, "Varig, which operates in 18 countries, is near collapse.")
    assert measures_what_is_asked(staff, "Varig, Brazil's biggest airline, employs 11,000 people.")
    assert measures_what_is_asked("Who leads Varig?", "It flies to 18 countries.")  # figures only: a name tells itself


def test_a_count_is_not_moved_to_the_questions_own_number_nor_to_a_count_of_another_thing():
    from qa.answer.kinds import _counts_other, _what_is_counted, counted

    workers = "How many workers lost their jobs when the Kestrel mill closed?"
    said = "Kestrel mill workers lose jobs Six textile factories have closed, leaving 6,650 garment workers jobless."
    assert counted(workers, "6,650", said) == "6,650"  # not "Six", whose clause holds more of the question
    sectors = "How many of the 20 manufacturing sectors surveyed reported growth?"
    said = "Of the 20 manufacturing sectors surveyed, 13 reported growth."
    assert counted(sectors, "13", said) == "13"  # 20 is the question's own number

    def other(question, sentence, number):
        return _counts_other(_what_is_counted(question), sentence, sentence.index(number) + len(number))

    assert other(workers, "Six textile factories have closed.", "Six")
    assert not other("How many seats did Labour win?", "Labour won 355 Commons seats, down from 413.", "355")
    assert not other("How many new customers did Orange add?", "Orange added five million new customers.", "five")
    assert not other("How many points did he add?", "The total rose to 30. Analysts said more would follow.", "30")
    assert not other(sectors, said, "13")  # "13 reported growth": no plural thing named


def test_a_date_answer_is_not_the_year_the_question_gives():
    question = "When will the IRB decide who hosts the 2011 Rugby World Cup?"
    assert not fits(question, "2011 World Cup bid")
    assert fits(question, "November 2005") and fits("When was it released?", "2011")


def test_the_year_a_figure_is_compared_with_is_not_the_year_of_the_figure():
    from qa.answer.constraints import beside_the_compared

    q = extract("How much did General Motors Europe lose in the fourth quarter of 2004?")
    said = "The fourth-quarter losses at General Motors Europe totalled $345m, up from $66m during the same period in 2003."
    context = "GM Europe results for 2004"
    assert q.check(said, context).contradicted  # read whole, the sentence speaks of 2003
    assert q.check(beside_the_compared(said, "$345m"), context).met  # $345m is not the 2003 figure
    revenue = "That is an 81 percent increase, compared to $10.4 billion in revenue in Q1 2021."
    assert beside_the_compared(revenue, "$10.4 billion") == revenue  # the compared figure is the answer: its year stays
    assert beside_the_compared("Gamers spent more than £1.34bn in 2004.", "£1.34bn").endswith("in 2004.")  # no comparison
