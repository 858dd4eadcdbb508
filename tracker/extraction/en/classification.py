"""The kind of a point: commitment > position > exchange > protocol (the labelling precedence)."""

from __future__ import annotations

import re

from tracker.extraction.types import FieldNote, PointKind
from tracker.services.errors import N_

# Stating one's own position with no content ("emphasized the ROK government's position, while
# Minister Motegi mentioned the position of the Japanese government") is an exchange.
_CONTENTLESS_POSITION = re.compile(
    r"\b(?:emphasi[sz]ed|stressed|mentioned|explained|stated|expressed|conveyed|reiterated|explained|"
    r"set\s+out|laid\s+out|outlined|presented)\s+"
    r"(?:[\w’'\-]+\s+){0,5}?positions?(?:\s+of\s+(?:the\s+)?(?:(?!\bthat\b|\bon\b)[\w\s\-]){0,60}?)?(?=\s*(?:[,.;]|$|\bwhile\b|\band\b))",
)
# "discussed / exchanged views on the importance of X" is an exchange; only stressing it is a
# position (the labelling rules).
# The importance may be the last of several things discussed ("discussed global stability, including
# the situation in the Middle East and the importance of regional security"), so long as no other
# verb comes between.
_DISCUSSED_IMPORTANCE = re.compile(
    r"\b(?:discussed|exchanged\s+(?:\w+\s+)?views\s+(?:on|about|regarding)|talked\s+about|touched\s+(?:on|upon)|"
    # "spoke with Taoiseach X about the importance of continued cooperation".
    r"spoke\s+(?:(?:with|to)\s+[^.;:]{1,60}?\s+)?about)"
    r"(?P<between>(?:(?!\b(?:stressed|emphasi[sz]ed|underlined|underscored|highlighted|noted|agreed|said|stated|"
    r"affirmed|reaffirmed|confirmed|expressed|welcomed)\b)[^.;:]){0,160}?)\s(?:the\s+)?(?:importance|necessity|need)\b"
)
# "taking stock of progress with infrastructure projects important for the Baltic region": the
# adjective after a noun names the topic's scope; it states no importance.
_NOUN_IMPORTANT_FOR = re.compile(
    r"\b(?P<noun>projects|issues|areas|matters|topics|fields|sectors|questions|programmes|programs|initiatives|"
    r"infrastructure)\s+important(?=\s+(?:for|to)\b)"
)
_POSITION = re.compile(
    r"\b(?:stressed|emphasi[sz]ed|underscored|urged|asked|requested|condemned|called\s+for|"
    # "noted with concern ...", "sought Japan's support for her candidacy": a view, a request.
    r"noted\s+with\s+(?:\w+\s+)?(?:concern|alarm|regret|satisfaction)|"
    r"sought\s+(?:[\w’'\-]+\s+){0,3}?(?:support|cooperation|understanding|backing)\b|"
    # "called on all parties to exercise restraint" is a demand; "called on Minister X" (and was
    # hosted by him) is a courtesy call.
    r"called\s+(?:on|upon)\s+(?=(?:(?!and\b)[\w.’'\-]+,?\s+){1,10}?to\s+[a-z])|"
    r"underlined|demanded|insisted|opposed|protested|criticized|criticised|rejected|"
    r"expressed\s+(?:[\w\-]+\s+){0,2}(?:concern|concerns|support|opposition|objection|regret|hope\s+that|"
    r"satisfaction|optimism|confidence|disappointment)|raised\s+(?:[\w\-]+\s+){0,2}concerns?|"
    r"(?:is|are|was|were|remains?|remained)\s+(?:\w+\s+)?committed|important\s+(?:that|to|for)|"
    r"reiterated|reaffirmed|affirmed|confirmed\s+(?:[\w\-]+\s+){0,3}(?:necessity|importance|need|goal|position|stance|"
    # Highlighting a people's resilience or courage, in answer to condolences, is a tribute.
    r"principle)|highlighted(?!\s+the\s+(?:[\w\-]+\s+(?:and\s+)?){0,3}?(?:resilience|strength|courage|bravery|"
    r"spirit|fortitude)\s+of\b)|positions?|necessity|importance|need\s+for|"
    r"welcomed\s+(?:[\w\-]+\s+){0,2}(?:progress|decision|adoption|announcement|efforts?|steps?|agreement|deal|"
    # ... or the other's conduct ("welcomed the concrete engagement of the Netherlands").
    r"conclusion|signing|holding|outcome|resumption|establishment|launch|engagement|contributions?|role|"
    r"participation|initiatives?|leadership|commitment)|"
    # Welcoming a development is a view; welcoming the guest, the meeting or the chance to meet is
    # courtesy ("welcomed the first face-to-face meeting", "welcomed this opportunity").
    r"welcomed\s+(?!(?:the\s+|this\s+|his\s+|her\s+|their\s+)?(?:(?:first|recent|latest|second|"
    r"face-to-face|opportunity|visit|meeting|call|talks?|conversation|delegation|guest|minister|"
    r"president|prime|secretary|chancellor|foreign|[A-Z])))(?:the|this|these|its|their)\s+"
    r"(?:[\w\-]+\s+){0,3}?(?:strong|growing|close|deepening|expanding|increased|increasing|continued|"
    r"robust|significant|positive|recent)\b|"
    # A shared assessment: "agreed that the partnership is more important than ever".
    # "They agreed the UK's recognition of ... is a welcome development" leaves out the "that".
    r"(?:(?:agreed|concurred)\s+(?:that\s+)?(?!(?:to|on|upon|with|in|at)\b)|"
    r"(?:recogni[sz]ed|shared\s+(?:the|their)\s+(?:view|assessment|recognition))\s+that\s+)"
    # Reported in the past tense too: "The pair agreed that there was more that could be done".
    r"(?:[\w.’'\-]+,?\s+){1,8}?(?:is|are|was|were|remains?|remained|has\s+been|have\s+been|had\s+been)\b"
    r"(?!\s+(?:to|going|due|set|scheduled|expected)\b)|"
    r"shared\s+(?:their\s+|the\s+)?(?:\w+\s+)?concerns?|"
    # A view held: "said he strongly supports X's efforts", "agreed on the need to ensure ...",
    # "the arrests, which they agreed were deeply concerning".
    r"support(?:s|ed)\s+(?!by\b)|(?:the|a)\s+need\s+to|"
    r"(?:was|were|is|are|remains?|remained)\s+(?:\w+\s+){0,3}?(?:concerning|troubling|worrying|unacceptable|"
    r"deplorable|alarming)|"
    r"(?:deeply|gravely|seriously)\s+concern\w*|"
    r"endors(?:e|es|ed|ing|ement)|"
    # What the world at large should do is a view, not the parties' undertaking.
    r"international\s+community\s+(?:should|must|needs?\s+to)|"
    # An assessment of the other's conduct ("commended Japan's contributions", "spoke positively of
    # the progress made towards ..."): a view held, not thanks.
    r"spoke\s+(?:\w+\s+)?(?:positively|highly|favou?rably|approvingly)\s+(?:of|about)|"
    # Thanks for the other side's conduct ("thanked President X for his support to the U.S. on this
    # matter", "for the assistance extended to our citizens") appreciate it: a view, not courtesy.
    r"thanked\s+(?:[\w.’'\-]+\s+){0,6}?for\s+(?:(?:the|his|her|its|their|[A-Z][\w.\-]*(?:[’']s|s[’']))\s+)?(?:[\w\-]+\s+){0,2}?"
    r"(?:support|assistance|help|contributions?|efforts?|leadership|cooperation|commitment)(?:\s+(?:to|for|on|in|extended|provided|given)\b|"
    r"(?=\s*[.;,]))|"
    r"(?:commended|praised|lauded|applauded|hailed|appreciated|valued|recogni[sz]ed|acknowledged|noted|"
    r"paid\s+(?:\w+\s+)?tribute(?:\s+to)?|"
    r"positively\s+(?:evaluated|assessed)|(?:assessed|evaluated|rated)\s+(?:\w+\s+)?(?:positively|highly)|"
    r"highly\s+(?:evaluated|appreciated|valued))\s+(?:[\w’'\-]+\s+){0,4}?(?:contributions?|efforts?|progress|"
    r"role|leadership|achievements?|initiatives?|decisions?|steps|measures|policy|policies|engagement|"
    r"commitment|stance|resolve|support|assistance|help)|"
    # A confirmed stance ("once again confirmed that Japan and the United States are 100% together").
    r"confirmed\s+(?:\w+\s+){0,2}?that\s+(?:[\w.’'\-]+,?\s+){1,8}?(?:is|are|was|were|remains?|remained|"
    r"stands?|stood)\b)\b"
)
_EXCHANGE = re.compile(
    # Greetings or gifts exchanged are courtesy, read by the protocol words.
    r"\b(?:exchanged(?!\s+(?:[\w\-]+\s+){0,2}?(?:greetings|pleasantries|gifts|congratulations|compliments)\b)|"
    r"exchange\s+of\s+views|exchanging\s+views|discussed|held\s+(?:\w+\s+)?discussions?|deliberated|"
    # "shared Japan's view on the situation": one side's view told, as in an exchange of views.
    r"shared\s+(?:[\w’'\-]+\s+){1,2}?(?:views?|perspectives?|assessments?|positions?)\s+(?:on|of|about|regarding)\b|"
    # "noted that ..." remarks on a fact, as "mentioned" does.
    r"explained|briefed|touched\s+(?:on|upon)|mentioned|noted\s+that|talked\s+about|reviewed|informed|described|"
    r"presented|reflected\s+(?:on|upon)|took\s+stock|tackled|compared\s+notes|shared\s+(?:their\s+)?assessments\b(?!\s+that)|"
    r"had\s+an?\s+(?:\w+\s+)?exchange|spoke\s+about|went\s+over|caught\s+up|"
    # Topics covered: "shared views on", "addressed", "covered", "focused on", "outlined", "raised".
    r"shared\s+(?:their\s+)?(?:views|perspectives|information|insights)|addressed|covered|focus(?:s)?ed\s+on|"
    r"cent(?:er|re)d\s+on|outlined|raised|updated\s+(?:\w+\s+){0,3}?on|"
    r"coordinated|consulted|"
    # "gave an overview of", "provided an update on", "assessed the state of bilateral relations",
    # "explored ways to expand trade", "looked at options for ...": a topic gone over together.
    r"(?:gave|provided|offered)\s+(?:an?\s+)?(?:[\w\-]+\s+)?(?:overview|update|briefing|readout|account)\s+(?:of|on|about)|"
    r"assessed\s+(?:the\s+)?(?:state|situation|progress|status)|"
    r"(?<!to\s)(?:explored|looked\s+at|examined)\s+(?:the\s+)?(?:[\w\-]+\s+)?(?:ways|options|avenues|possibilities|"
    r"opportunities|prospects)|"
    # More words of going over a topic: "talked through", "considered next steps on", "surveyed",
    # "apprised X of", "compared their assessments", "touched base on", "held an in-depth exchange",
    # "Topics included ...", "on the agenda", and a conversation about a topic.
    r"talked\s+through|considered\s+(?:the\s+)?(?:next\s+steps|ways|options|prospects)|surveyed|apprised|"
    r"compared\s+(?:their\s+)?(?:assessments|views|perspectives)|touched\s+base|"
    r"held\s+an?\s+(?:[\w\-]+\s+){0,2}?exchange|[Tt]opics\s+included|on\s+the\s+agenda|[Aa]genda\s+included|"
    r"(?:conversation|call|talks|discussions?)\s+(?:about|regarding|concerning|covering)|"
    # "The sides also devoted considerable attention to ...", "paid special attention to ...".
    r"(?:devoted|paid|gave|given)\s+(?:(?:considerable|special|particular|close|much|great|due)\s+)?attention\s+to)\b"
)
_PROTOCOL = re.compile(
    r"\b(?:greet\w*|congratulat\w*|thank\w*|gratitude|appreciat\w*|condolences?|sympath\w*|pleasure|proud|"
    r"welcomed|met|meets|had\s+(?:a\s+)?(?:\w+\s+){0,2}(?:call|meeting|talks?|conversation)|"
    r"received\s+(?:a\s+)?(?:\w+\s+){0,2}(?:call|courtesy)|held\s+(?:a\s+)?(?:\w+\s+){0,3}(?:talks?|meeting|conversation|call)|"
    r"(?:spoke|spoken)\s+(?:[\w,]+\s+){0,5}?(?:with|to)|courtesy|called\s+(?:on|upon)|"
    # Who attended and who led or chaired the session, and the papers signed at it ("In attendance
    # were ...", "co-chaired the Joint Commission", "an agreement was signed to establish ...").
    r"in\s+attendance|(?:was|were)\s+(?:also\s+)?accompanied\s+by|co-?chair(?:ed|s)|"
    r"led\s+(?:the|their|a|an)\s+(?:[\w\-–]+\s+){0,4}?(?:session|delegations?|talks|meeting)|"
    r"(?:was|were)\s+(?:also\s+)?signed|signed\s+(?:the|an?|two|three|several)\s+(?:[\w\-]+\s+){0,3}?"
    r"(?:agreements?|memorand(?:um|a)|MoUs?|minutes|declarations?|protocols?|accords?|statements?|communiqu[eé]s?)|"
    # The visit and its itinerary (the labelling rule: an itinerary is not an undertaking): "is on an
    # official visit to Australia", "arrived in Tokyo on Sunday", "is also scheduled to meet", "laid
    # a wreath", and how the talks went ("conducted in a friendly and constructive manner").
    r"(?:is|are|was|were)\s+(?:on|making|paying)\s+(?:an?\s+|his\s+|her\s+|their\s+)?(?:[\w\-]+\s+){0,2}?visit|"
    r"paid\s+(?:an?\s+|his\s+|her\s+)?(?:[\w\-]+\s+){0,2}?visit|arrived\s+in|(?:is|are|was|were)\s+visiting|"
    r"(?:is|are|was|were)\s+(?:also\s+)?scheduled\s+to|laid\s+(?:a\s+)?wreaths?|"
    r"(?:conducted|held)\s+in\s+an?\s+(?:[\w\-]+\s+(?:and\s+)?){0,4}?(?:manner|spirit)|"
    r"(?:first|second|third|latest)\s+(?:[\w\-]+\s+){0,2}?(?:meeting|call|conversation|talks|visit)\s+between|"
    # An anniversary marked, a speech given: "marked the 50th anniversary of diplomatic relations".
    r"mark(?:ed|ing|s)?\s+the\s+(?:[\w\-]+\s+){0,2}?anniversary|(?:gave|delivered)\s+an?\s+(?:[\w\-]+\s+)?"
    r"(?:speech|lecture|address)|"
    # The call itself, its time and length: "spoke by phone on Monday", "The Foreign Secretary and the
    # Foreign Minister spoke today", "The meeting lasted about 30 minutes".
    r"(?:spoke|talked)\s+(?:by\s+(?:tele)?phone|on\s+the\s+(?:tele)?phone|over\s+the\s+(?:tele)?phone|today|"
    r"yesterday|earlier\s+today|this\s+(?:morning|afternoon|evening)|(?:on\s+)?(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday))|lasted\b|"
    # The meeting's series: "is being held for the sixth time", "is organised annually on a
    # rotational basis".
    r"(?:held|organi[sz]ed|convened)\s+(?:\w+\s+){0,2}?(?:for\s+the\s+(?:\w+|\d+(?:st|nd|rd|th))\s+time|"
    r"annually|every\s+(?:year|two\s+years)|on\s+a\s+rotational\s+basis|in\s+rotation)|"
    # "a telephone conversation took place between the Minister ... and the Minister ...".
    r"(?:call|conversation|meeting|talks|videoconference|video\s+call)\s+(?:was\s+held|took\s+place)|"
    # Who attended and whose initiative the call was: the meeting's own arrangements.
    r"(?:was|were)\s+(?:also\s+)?attended\s+by|(?:(?:was|were)\s+(?:held|made|arranged)|took\s+place)\s+(?:on|at)\s+"
    r"(?:the\s+)?(?:[\w’'\-]+\s+){0,3}?(?:initiative|request|invitation)|respect|honou?r\w*|praised|paid\s+tribute|"
    r"host(?:ed|s|ing)|(?:dinner|lunch|luncheon|banquet|breakfast|reception|ceremony)\b|invit(?:ed|es|ation)|"
    # The meeting placed in time: "This was their first meeting since Minister X took office".
    r"(?:first|second|third|latest)\s+(?:\w+\s+){0,2}?(?:meeting|call|conversation|talks|visit|contact)\s+since\b|"
    r"(?:best|good|warm|warmest|sincere|heartfelt)\s+wishes|season[’']s\s+greetings|"
    # The meeting's manner and its press events: "held in a cordial atmosphere", "a joint press conference".
    r"atmosphere|(?:joint\s+)?press\s+(?:conference|availability|encounter)|pleasantries|"
    r"wished\s+(?:\w+\s+){0,4}?(?:success|well|luck|recovery)|celebrat\w*|commemorat\w*|"
    r"received\s+(?:a\s+|the\s+)?(?:visiting\s+)?(?:delegation|visit)|"
    r"received\s+(?=(?:H\.E\.|Mr\.|Ms\.|Dr\.|the\s+(?:\w+\s+)?(?:minister|secretary|president|prime)|(?-i:[A-Z]))))\b",
    re.IGNORECASE,
)


def classify(point_text: str, has_commitment: bool) -> PointKind:
    """The kind of a point from its commitments and its wording."""
    return classify_with_note(point_text, has_commitment)[0]


def classify_with_note(point_text: str, has_commitment: bool) -> tuple[PointKind, FieldNote]:
    """The kind of a point and the words that decided it (weak when none did)."""
    if has_commitment:
        return "commitment", FieldNote.of("kind", N_("it holds an undertaking"))
    text = _CONTENTLESS_POSITION.sub(" exchanged ", point_text)
    text = _DISCUSSED_IMPORTANCE.sub(lambda m: " discussed" + m.group("between") + " matter", text)
    text = _NOUN_IMPORTANT_FOR.sub(r"\g<noun> relevant", text)
    for kind, pattern in (("position", _POSITION), ("exchange", _EXCHANGE), ("protocol", _PROTOCOL)):
        m = pattern.search(text)
        if m:
            words = " ".join(m.group().split())
            return kind, FieldNote.of("kind", _READS_AS[kind], words=words)  # type: ignore[return-value]
    # No word of discussion, courtesy or view: a statement of the publisher's or the parties' own
    # ("COVID-19 is a rapidly evolving global challenge", "agreed that the solidarity sent a strong
    # message", "looked forward to the UK joining the CPTPP"). On the second English dev set 6 of
    # the 8 points that fell here were positions (the other 2 held a missed undertaking).
    return "position", FieldNote.of(
        "kind", N_("no word decided it: a statement, read as a position"), weak=True
    )


_READS_AS = {
    "position": N_("'%(words)s' reads as a position"),
    "exchange": N_("'%(words)s' reads as an exchange"),
    "protocol": N_("'%(words)s' reads as protocol"),
}
