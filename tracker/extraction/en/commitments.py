"""Finding undertakings inside a point: the quote, its offsets, the action and who undertakes it.

The grammar follows the labelling rules in the corpus README: joint undertakings ("agreed to",
"confirmed that they will", "reaffirmed their commitment to modernizing ..."), unilateral ones
("would like to", "expressed his hope to", "Japan will ..."), soft ones ("looked forward to his
visit"), and normative "should continue" about the parties' own conduct. Demands on others,
importance statements, commitments to goals, standing guarantees and undertakings by people who
do not act for a party are left out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tracker.extraction.en.parties import LETTER, TITLE_WORDS, UPPER, Participants, Person
from tracker.extraction.en.sentences import Span, sentence_spans
from tracker.extraction.party_names import find_mentions


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- the trigger grammar ----------------------------------------------------------------------

_DETERMINER = r"(?:the|a|an|this|that|these|those|its|his|her|their|our|my|your|such)\b"
_INFINITIVE_VERBS = (
    r"agreed|agree|agrees|agreeing|pledged|pledge|pledges|pledging|resolved|resolve|decided|decide|vowed|vow|"
    r"undertook|undertake|promised|promise|determined|intends?|intended|intending|planned|plans?|aims?|aimed|"
    r"wished|wishes|wants|wanted|hopes?|hoped|hoping|offered|offers|sought|seeks|"
    r"committed|commit|commits|committing|concurred|concur|confirmed|reconfirmed|reaffirmed|affirmed"
)
_REPORTING_VERBS = (
    r"expressed|mentioned|conveyed|stated|reiterated|reaffirmed|indicated|shared|renewed|underlined|"
    r"underscored|emphasi[sz]ed|stressed|affirmed|confirmed|voiced|noted|signall?ed|explained|made\s+clear|"
    r"highlighted|asserted|"
    # "this reflects the keenness of both countries to expand cooperation": what a step shows of a wish.
    r"reflects|reflected|reflecting|demonstrates|demonstrated|demonstrating|"
    # "began by expressing commitment to visit": the gerund reports as the past tense does.
    r"expressing|conveying|reiterating|reaffirming|renewing|underscoring|stressing|emphasi[sz]ing|confirming|"
    r"affirming|voicing|spoke\s+of|talked\s+of"
)
# How far before a verb its subject is looked for, and how many candidate subjects are tried:
# "Japan, the United States, the Republic of Korea, Australia and India will" is 70 characters
# and 5 candidates.
_SUBJECT_WINDOW = 300
_SUBJECT_CANDIDATES = 8
_INFINITIVE = re.compile(
    # "both sides committed themselves to further strengthen ...": a reflexive object changes nothing.
    rf"\b(?P<trig>(?:{_INFINITIVE_VERBS})\s+(?:(?:themselves|itself|himself|herself|ourselves)\s+)?to\s+"
    rf"(?!{_DETERMINER})(?=[a-z])"
    # "committed to its swift implementation", "agreed to the early conclusion of the negotiations":
    # a step named by its noun after "to the".
    r"|(?:committed|commit|commits|pledged|agreed|resolved)\s+to\s+(?:its|their|the)\s+"
    r"(?:(?:swift|early|earliest|full|effective|prompt|speedy|steady|faithful|smooth|timely|successful)\s+)+"
    r"(?=(?:implementation|conclusion|ratification|entry\s+into\s+force|signing|finali[sz]ation)\b)"
    r"|would\s+like\s+to\s+|would\s+(?:also\s+)?like\s+to\s+"
    r"|(?:is|are|was|were|stands?|stood|remains?|remained)\s+(?:ready|prepared|willing|eager|keen)\s+to\s+"
    # "the UK stood by to support in any way possible": readiness to help the other party.
    r"|(?:stands?|stood)\s+by\s+to\s+(?=[a-z])"
    # "committed South Africa's continued active engagement in the Peace Initiative": a party's
    # own engagement pledged, with the country as the possessive.
    r"|commit(?:ted|s)\s+(?:[A-Z][\w.\-]*\s+){0,2}?[A-Z][\w.\-]*(?:[’']s|s[’'])\s+(?:(?:continued|full|active|"
    r"ongoing|strong|further)\s+)*(?:engagement|participation|support|assistance|contribution)\b"
    # Offering help to the other party is an undertaking ("offered India's unstinted support to
    # Australia"); offering condolences or congratulations is courtesy.
    r"|(?:offer|pledg|promis|extend|vow)(?:ed|es|s|ing|e)?\s+(?:(?:his|her|their|its|our|(?:the\s+)?[A-Z][\w.\-]*(?:[’']s|s[’'])|the)\s+)?"
    r"(?:[\w\-]+\s+){0,2}?(?:support|assistance|help|cooperation)\b(?=\s+(?:to|for|in|on|with)\b)"
    # "offered his good offices": the Secretary-General's (or a mediator's) help to the other party.
    r"|offer(?:ed|s|ing)?\s+(?:his|her|its|their|the)\s+good\s+offices\b"
    # "expressed his hope for continued close cooperation with Canada": a wish to keep working together.
    rf"|(?:{_REPORTING_VERBS})\s+(?:(?:his|her|their|its|our|the|a|an|"
    r"(?:the\s+)?[A-Z][\w.\-]*(?:[’']s|s[’']))\s+)?"
    r"(?:hope|desire|wish|readiness|willingness|eagerness|keenness)\s+for\s+"
    r"(?=(?:(?:continued|further|closer|close|enhanced|stronger|deeper|increased)\s+)+(?:cooperation|collaboration|"
    r"coordination|dialogue|exchanges|partnership|engagement|communication)\b)"
    r"|(?:has|have|had)\s+(?:an|the|every|a\s+(?:strong|firm|clear))\s+(?:intention|intent|plan)\s+to\s+"
    # A wish or an intention stated with any reporting verb ("expressed her hope to", "mentioned
    # his wish to", "reaffirmed their desire to conclude", "conveyed Japan's intention to").
    # The determiner may be left out ("expressed willingness to", "expressed readiness to").
    rf"|(?:{_REPORTING_VERBS})\s+(?:(?:his|her|their|its|our|the|a|an|"
    r"(?:the\s+)?[A-Z][\w.\-]*(?:[’']s|s[’'])|"
    r"(?:his|her)\s+(?:country|government)[’']s)\s+)?(?:[\w\-]+\s+){0,2}?"
    r"(?:hopes?|desires?|wish(?:es)?|intentions?|intent|willingness|determination|readiness|resolve|eagerness|"
    # Gulf and Egyptian releases: "asserted his country's keenness to enhance ...", "highlighted the
    # keenness of the two friendly countries to strengthen ..."; "stated their common interest to continue".
    r"keenness|aspirations?|interest|plans?)"
    r"(?:\s+of\s+(?:the\s+)?(?:two|both)\s+(?:[\w\-]+\s+){0,2}?(?:countries|sides|nations|governments|leaders|ministers))?"
    # "underscored Pakistan's desire and commitment to take the relationship to strategic level".
    r"(?:\s+and\s+(?:commitment|determination|readiness|resolve|willingness))?\s+to\s+"
    rf"(?!{_DETERMINER})(?=[a-z])"
    # "agreed on further deepening the partnership": a gerund of action after agree/concur on.
    # "agreed with Minister Tanaka to accelerate the negotiations".
    r"|(?:agreed|concurred)\s+with\s+(?:(?:the\s+)?[A-Z][\w.’'\-]*\s+){1,4}to\s+(?=[a-z])(?!the\b)"
    r"|(?:re)?confirmed\s+(?=(?:the\s+)?(?:(?:continued|close|closer|further|enhanced)\s+)+"
    r"(?:cooperation|coordination|collaboration|dialogue|consultations|communication)\b)"
    r"|(?:agreed|agree|agrees|concurred|concur|concurs|shared\s+(?:the|their)\s+(?:view|views|recognition)|"
    r"(?:were|was)\s+in\s+agreement)\s+(?:on|upon|of)\s+"
    r"(?=(?:(?:further|closely|jointly|continuously|steadily|actively|also|swiftly)\s+)*[a-z]+ing\b"
    # ... or a step named by its noun ("agreed on the early convening of the Joint Committee").
    # "agreed on the establishment of a working group": a founding step needs no adjective.
    r"|(?:the\s+)?(?:establishment|launch|creation|setting\s+up|convening|holding|resumption)\s+of\b"
    r"|(?:the\s+)?(?:(?:early|earliest|further|continued|prompt|swift|speedy|timely|regular|closer|close)\s+)+"
    r"(?:[a-z]+ing|establishment|resumption|launch|conclusion|holding|expansion|strengthening|deepening|"
    r"cooperation|coordination|dialogue|consultations|exchanges|implementation)\b)"
    r"|shared\s+(?:the|their)\s+(?:view|views|understanding|recognition|intention)\s+to\s+(?=[a-z])"
    r"|(?:look|looks|looked|looking)\s+forward\s+to\s+"
    # Accepting an invitation is a (soft) undertaking; extending one is not.
    r"|accept(?:ed|s)?\s+(?:the|an|his|her|their|this|that|(?:the\s+)?(?:[A-Z][\w.\-]*\s+)?[A-Z][\w.\-]*(?:[’']s|s[’']))\s+"
    r"(?:kind\s+)?invitation\b"
    r"|(?:tasked|instructed|directed)\s+(?:their|the|his|her|its)\s+(?:\w+\s+){0,3}?"
    r"(?:officials|teams|ministers|ministries|governments|negotiators|staff|agencies|sherpas)\s+(?:to|with)\s+)"
)
_BOTH_SIDES_OF = re.compile(
    r"\bof\s+(?:the\s+)?(?:two|both)\b|\b(?:their|our|both)\s+(?:countries|governments|sides|nations)[’']"
)
_STATIVE_COMMITTED = re.compile(
    r"\b(?:is|are|was|were|be|been|being|remain|remains|remained|stay|stays|stayed)\s+(?:\w+ly\s+)?$"
)
_COMMITMENT_TO = re.compile(
    r"\b(?P<trig>(?:reaffirmed|reiterated|expressed|confirmed|underscored|underlined|restated|renewed|stressed|"
    r"emphasi[sz]ed|affirmed|highlighted|shared|made|expressing|reaffirming|reiterating|confirming|underscoring|"
    r"underlining|restating|renewing|stressing|emphasi[sz]ing|"
    # "took the opportunity to reaffirm their commitment to ...": the bare infinitive reports too.
    r"(?<=to\s)(?:reaffirm|reiterate|renew|confirm|underscore|express))"
    r"\s+(?:(?:their|its|his|her|our|(?:the\s+)?[A-Z][\w.\-]*(?:[’']s|s[’'])|the|a)\s+)?"
    r"(?:(?:shared|strong|continued|"
    r"unwavering|firm|mutual|joint|steadfast|ongoing|full|common)\s+)*commitments?\s+to\s+)"
)
_DETERMINER_BEFORE = re.compile(r"\b(?:our|their|its|his|her|the|a|this)\s+$")
_ACTION_NOUNS = re.compile(
    r"^(?:(?:close|closer|further|continued|ongoing|enhanced|deeper|strong|stronger|practical|concrete|robust|"
    r"broad|trilateral|bilateral|multilateral|regional|economic|security|mutual|joint|full)\s+)*"
    r"(?:cooperation|coordination|collaboration|dialogue|consultations?|work|working|partnership|engagement|"
    r"communication|exchanges?|efforts?|assistance|support|action|implementation|investment)\b"
    # "underlined their commitment to further enhancing the partnership": an adverb before the gerund.
    r"|^(?:(?:further|jointly|closely|steadily|actively|continuously|constantly|also)\s+)?\w+ing\b"
)
# "reaffirmed their mutual commitment to further progressive development of Russian-Nigerian
# cooperation": the act named by its noun, done to the parties' own relations (not "commitment to
# the development of Africa", a goal).
_NOMINAL_ACTION = re.compile(
    r"^(?:the\s+)?(?:(?:further|continued|progressive|steady|steadily|comprehensive|sustained|dynamic|"
    r"mutually\s+beneficial|full|deeper|closer)\s+)*(?:development|expansion|enhancement|promotion|"
    r"advancement|consolidation|intensification|deepening|strengthening|broadening|upgrading)\s+of\s+"
    r"(?:(?:the|their|our)\s+)?(?:[\w’'\-]+\s+){0,3}?(?:cooperation|relations|ties|relationship|partnership|"
    r"dialogue|exchanges|trade)\b"
)
# "expressed their commitment to consolidate and expand the partnership": a bare verb of action
# (not "commitment to peace", a goal). The verbs of undertakings that readouts use.
_ACTION_VERBS = re.compile(
    r"^(?:(?:further|continue\s+to|jointly|closely|fully)\s+)?(?:work|cooperate|collaborate|coordinate|"
    r"strengthen|deepen|expand|consolidate|advance|promote|enhance|broaden|bolster|intensify|elevate|"
    r"build|develop|pursue|implement|continue|maintain|explore|address|tackle|accelerate|increase|"
    r"boost|foster|reinforce|modernize|modernise|upgrade|hold|launch|establish|conclude|finalize|"
    r"finalise|engage|consult|stay|remain|keep|help|provide|support|invest|take|make|share|visit|meet|host|"
    r"attend|sign|resume)\b"
)
# "commitment to a free and open Indo-Pacific and enhancing fair and reciprocal trade": a goal,
# and coordinated with it an action, which is undertaken.
_GOAL_AND_ACTION = re.compile(
    r"[^.;]{1,60}?\band\s+(?:to\s+)?(?:(?:further|jointly)\s+)?(?!the\b)[a-z]{3,}ing\b"
)
# Verb forms that are also plural nouns ("plans to"): a verb only right after its subject
# (a name, a pronoun, "the government") or an adverb of that subject ("Japan also plans to").
_NOUN_FORM = re.compile(r"(?:plans?|aims?|hopes|wishes|offers)\b")
_VERB_SUBJECT_BEFORE = re.compile(
    r"(?:\b(?:he|she|it|who|which|that|government|side|ministry|country|administration|minister|"
    r"president|secretary|leader|team|also|further|now|still|currently|therefore|thus|strongly|they|we|both|"
    r"ministers|leaders|sides|countries|governments|nations|delegations|"
    r"sincerely|earnestly)|(?<![’'])\b(?!The\b)[A-Z][\w.\-]*)\s+$"
)
# Working out the details of the undertaking just named is part of it, not another one.
_FOLLOW_THROUGH = re.compile(
    r"(?:(?:further|closely|jointly)\s+)?(?:coordinate|arrange|work\s+out|finalize|finalise|fix|settle|adjust|"
    r"discuss|decide|confirm)\s+(?:on\s+)?(?:the|its|their)\s+(?:\w+\s+)?(?:details|specifics|arrangements|"
    r"modalities|timing|dates?|schedule|logistics|particulars)\b"
)
_FORWARD_OBJECTS = re.compile(
    r"^(?:(?:his|her|their|its|the|a|an|our|next|upcoming|forthcoming|planned|future|further|continued|jointly|"
    r"close|closer|early|successful|fruitful|official|state|another|mutual|Prime\s+Minister\s+\w+[’']s|"
    r"[A-Z]\w+[’']s)\s+)*(?:visit|visits|meeting|meetings|talks|dialogue|cooperation|collaboration|"
    r"consultations?|summit|conversation|exchanges?|working|\w+ing|forum|conference|session|round|"
    r"negotiations|ceremony|signing|launch|exhibition|festival|games)\b"
    # A named event: "looked forward to the Canada-Philippines Business Forum".
    r"|^(?:the\s+)?(?:(?:upcoming|forthcoming|next|\d+\w*)\s+)*(?:[A-Z0-9][\w.’'\-&+]*\s+(?:of\s+|and\s+)?){0,8}"
    r"(?:Summit|Meeting|Conference|Forum|Dialogue|Talks|Consultations|Session|Assembly|Games|Olympics|"
    r"Paralympics|Expo|Congress|Convention|Symposium|Round|Week|Ministerial|Visit|Festival|Exhibition)\b"
)
_COURTESY_ACT = re.compile(
    r"(?:(?:\w+ly|once\s+again|again|also)\s+)*(?:congratulate|thank|greet|commend|felicitate|"
    r"(?:express|convey|extend|offer)\s+(?:(?:his|her|their|its|our|the|my)\s+)?(?:[\w\-]+\s+){0,2}?"
    r"(?:condolences|sympathy|sympathies|congratulations|gratitude|thanks|appreciation|greetings|wishes))\b"
)
_MODAL = re.compile(r"\b(?P<modal>will|would|shall|should)\b(?!\s+like\b)(?!\s+also\s+like\b)")
_ADVERBS = (
    r"also|further|continue\s+to|closely|promptly|immediately|fully|jointly|together|actively|steadily|"
    r"firmly|swiftly|quickly|strongly|once\s+again|again|then|both|each|all|certainly|definitely"
)
_PASSIVE = re.compile(
    rf"^\s*(?:(?:{_ADVERBS}|not)\s+)*(?:be|have|been)\s+(?!ready|prepared|willing|able|happy|glad)\w+"
)
_STANCE = re.compile(
    rf"\s*(?:(?:{_ADVERBS})\s+)*(?:not|never)\s+(?:\w+\s+)?(?:accept|tolerate|allow|recognize|recognise|condone|"
    rf"permit|change|give\s+up)\b|\s*(?:(?:{_ADVERBS})\s+)*remain\s+(?:\w+\s+)?(?:committed|steadfast|unwavering)\b"
    # "Türkiye would only support solutions that Azerbaijan agrees with": a condition set on a
    # settlement, a stance rather than an act.
    rf"|\s*(?:(?:{_ADVERBS})\s+)*only\s+(?:support|accept|recogni[sz]e|back|endorse|agree\s+to)\b"
)
# A joint decision in the passive ("agreed that the next round of talks would be held in Tokyo").
# Also a joint activity of the parties ("shared the view that bilateral exchanges will be pursued
# more actively"): after a joint decision its passive is the meeting parties' undertaking.
_MEETING_SUBJECT = re.compile(
    r"\b(?:meeting|meetings|talks|dialogue|consultations?|summit|visit|visits|round|session|conference|"
    r"working\s+group|committee|negotiations|exchanges|cooperation|coordination|collaboration|"
    r"communication|contacts)\b",
    re.IGNORECASE,
)
# "agreed that the talks would continue at the level of advisers": the meeting itself goes on.
_MEETING_GOES_ON = re.compile(
    r"\s+(?:(?:also|further|then)\s+)?(?:continue|resume|take\s+place|convene|reconvene|start|begin|commence)\b"
)
# "agreed that officials would meet in April": the parties' own people, sent by the decision.
_OWN_PEOPLE = re.compile(
    r"(?:(?:the|their|both|respective|senior|working-level|relevant|foreign|ministry|government|trade|"
    r"defen[cs]e|economic)\s+)*(?:officials|teams|negotiators|experts|sherpas|staff|ministries|delegations|"
    r"representatives|envoys)\s*"
)
_JOINT_DECISION = re.compile(
    r"\b(?:(?:agreed|decided|confirmed|concurred)\s+(?:\w+\s+){0,2}?|"
    r"shared\s+(?:the|their|a)\s+(?:\w+\s+)?(?:view|views|understanding|recognition)\s+)that\s+$"
)
# "shared the view that they remain in close contact": a present subjunctive after a joint
# decision is an undertaking as much as "will remain" is.
_SUBJUNCTIVE = re.compile(
    r"\b(?:shared\s+(?:the|their|a)\s+(?:\w+\s+)?(?:view|views|understanding)|agreed|concurred|confirmed|decided|"
    # One side's proposal that both act ("proposing that the ROK and the US coordinate closely"),
    # read like its "both sides should": an undertaking of both (kept only when both are named).
    r"(?P<proposal>propos(?:ed|ing)|suggest(?:ed|ing)))"
    r"\s+that\s+(?P<subj>(?:(?!\b(?:will|would|shall|should|must|can|could|may|are|is)\b)[^,.;:]){1,60}?)\s+"
    r"(?:(?:also|further|jointly|closely)\s+)?"
    r"(?P<verb>(?:remain|stay|keep)\s+in\s+(?:\w+\s+)?(?:contact|touch|communication|consultation)|"
    r"continue\s+to\s+[a-z]+|continue\s+[a-z]+ing|work\s+(?:closely\s+)?together|cooperate|coordinate|"
    r"consult|communicate)\b"
)
# "they will urge North Korea to ...": a demand on a third party, not an action of their own
# (unlike "will work together to urge ...", where the working together is undertaken).
_DEMAND_ONLY = re.compile(
    r"\s*(?:(?:also|further|strongly|firmly|once\s+again|again|continue\s+to)\s+)*"
    r"(?:urge|press|call\s+(?:on|upon)|demand|request)\s+(?!(?:each\s+other|one\s+another)\b)"
)
# "conveyed the assurance that ...", "assured Minister X that ...": the speaker's side undertakes it.
_ASSURANCE_BEFORE = re.compile(
    r"\b(?:(?:conveyed|gave|offered|provided|expressed|extended)\s+(?:the|his|her|their|its|an?)\s+(?:\w+\s+)?"
    r"assurances?|(?:re)?assured\s+(?:[\w.’'\-]+\s+){0,5}?)\s*that\s+$"
)
# "made clear that the United States will act firmly ...": a warning or restated policy.
_WARNING_BEFORE = re.compile(r"\b(?:made\s+(?:it\s+)?clear|warned|cautioned)\s+(?:\w+\s+){0,2}?that\s+$")
# "taking into account that the Netherlands will host the NATO Summit next year": a reason given for
# an undertaking, not one of its own.
# A proposal made and accepted in the meeting: "the Minister suggested to his Russian counterpart that
# he visit Paris on Friday 25 February, to which the latter agreed".
_ACCEPTED_PROPOSAL = re.compile(
    # "extended an invitation to Minister X to visit Canberra, which Minister X gladly accepted".
    r"\b(?:suggested|proposed|invited|extended\s+(?:an|the|a\s+\w+)\s+invitation\s+to)\s+(?P<obj>[^,;]{1,80}?)\s+"
    r"(?:that\s+(?:\w+\s+){0,3}?|to\s+)"
    r"(?P<act>visit|come|travel|hold|meet|attend|host)\b[^;.]{0,160}?,?\s*(?:to\s+which|which|and)\s+"
    r"(?:(?P<who>the\s+latter|he|she|(?:[A-Z][\w\-]+\s+){0,2}[A-Z][\w\-]+)\s+(?:\w+ly\s+)?(?:agreed|accepted|consented)|"
    # "..., which was accepted": the one invited accepted it.
    r"(?P<passive>(?:it\s+|this\s+)?was\s+(?:\w+ly\s+)?accepted))\b"
    # "..., and X accepted the invitation" is read by the invitation's own rule.
    r"(?!\s+(?:the|an|his|her|this|that|their)\s+(?:kind\s+)?invitation)"
)
# "X proposed to revive the Consultation Mechanism ..., which his counterpart agreed": a joint step
# one side proposed and the other accepted in the meeting is both sides' undertaking.
_JOINT_PROPOSAL = re.compile(
    r"\b(?:proposed|suggested)\s+to\s+(?P<act>[a-z]+)\b[^;.]{0,200}?,?\s*(?:to\s+)?which\s+"
    r"(?:his|her|their|the)\s+(?:\w+\s+)?counterparts?\s+(?:\w+ly\s+)?(?:agreed|accepted|concurred|consented)\b"
)
_PREPOSITION_BEFORE = re.compile(r"\b(?:with|to|for|of|from|between|among|by|and|in|on|at)\s+(?:the\s+)?$")
_REASON_BEFORE = re.compile(
    r"\b(?:taking\s+into\s+account|bearing\s+in\s+mind|in\s+(?:view|light)\s+of\s+the\s+fact|considering|"
    r"given|mindful)\s+that\s+$",
    re.IGNORECASE,
)
_REASON_CUT = re.compile(
    r",?\s+(?:taking\s+into\s+account|bearing\s+in\s+mind|in\s+(?:view|light)\s+of\s+the\s+fact|considering|"
    r"given|mindful)\s+that\b"
)
_EMPHASIS_BEFORE = re.compile(
    r"\b(?:stressed|emphasi[sz]ed|underscored|underlined|insisted|reiterated)\s+(?:\w+\s+){0,2}?that\s+$"
)
_CONDITIONAL = re.compile(
    r"\b(?:in\s+response\s+to|if|unless|in\s+the\s+event|should\s+\w+\s+\w+|in\s+defen[cs]e\s+of|"
    r"against\s+any)\b",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"\b[Aa]s\s+(?:it\s+)?(?:has|had|was|were|have)\s+(?:already\s+)?(?:been\s+)?"
    r"(?:confirmed|agreed|announced|decided|stated|pledged)\b(?:(?!\bthat\b)[^.;]){0,200}\bthat\s+$"
)
_THERE_SHOULD = re.compile(
    r"\bthere\s+(?:should|will|would)\s+(?:continue\s+to\s+)?be\s+(?:close|closer|continued|further)\b"
)

_OPENER = re.compile(
    # "..., the upcoming Arctic Council Ministerial, where they will meet next week": a relative
    # clause of place or time whose subject is the parties.
    r"\b(?:where|when)\s+(?=(?:they|we|both|the\s+two|the\s+(?:leaders|ministers))\b)|"
    r"\bthat(?:\s+|,\s*)|"
    # "spoke about how both leaders would continue to engage closely": what they will do, reported.
    r"\bhow\s+(?=(?:both|the\s+two|they|we|the\s+(?:leaders|ministers|sides))\b)|"
    r"\b(?:hoped|hopes|hope|said|says|stated|states|believed|believes|expected|expects|thought|"
    r"thinks|agreed|confirmed|reaffirmed|reconfirmed|affirmed|noted|added|responded|replied|explained|indicated|"
    r"announced|pledged|promised|assured|affirming|stating|agreeing|confirming|noting|concurred)\s+"
    r"(?=(?:the\s+|both\s+)?[A-Z]|they\b|he\b|she\b|we\b|both\b|the\s+two\b|their\b)"
)
_FRONTED = re.compile(
    r"(?:(?:in\s+addition|in\s+response|in\s+this\s+regard|in\s+this\s+context|furthermore|moreover|also|"
    r"finally|additionally|then|lastly|meanwhile|at\s+the\s+(?:outset|beginning|end)|once\s+again|"
    r"(?:in|at|with|regarding|as\s+for|as\s+to|on|during|following|after|before|ahead\s+of|under|through|"
    r"to|for|based\s+on|against|amid|concerning|with\s+regard\s+to|with\s+respect\s+to|in\s+order\s+to|"
    r"in\s+light\s+of|prior\s+to|toward|towards|upon|while|when|if|given|since|as)\b[^,]{0,200}?|"
    r"\w+ing\b[^,]{0,200}?|\w+ed\s+(?:by|with|on|in)\b[^,]{0,200}?),\s*)",
    re.IGNORECASE,
)
_RELATION_START = re.compile(
    r"(?:ahead\s+of|look(?:ing)?\s+ahead\s+to|before|prior\s+to|in\s+(?:the\s+(?:run|lead)(?:-|\s+)up|preparation)|"
    r"head(?:s|ed|ing)?\s+into|following|after|"
    r"in\s+the\s+wake\s+of|upon|at\s+the\s+|on\s+the\s+occasion|during|on\s+the\s+sidelines|toward|towards)\b",
    re.IGNORECASE,
)
# "H.R.H. Crown Prince X" opens with initials, not with a list marker "H.".
_MARKER_PREFIX = re.compile(
    r"(?:(?:[•·▪●◦‣*\-–—○□■▶►➢➤]|o(?=\s+[A-Z]))\s*)?(?:\(\w{1,4}\)|\w{1,2}[.)](?!\w))?\s*"
)
_TRAILING = re.compile(r"(?:[\s,;:.]|\b(?:and|but|while|whereas|that|as\s+well\s+as|to)\b)+$")
# "looked forward to welcoming X ..., and to working together ...": a second soft undertaking.
_AND_TO = re.compile(r",?\s+and\s+(?:also\s+)?to\s+(?=[a-z])")
_IMPORTANCE_BEFORE = re.compile(
    r"\b(?:important|importance|necessary|necessity|essential|crucial|vital|imperative|need)\s+(?:\w+\s+){0,2}$"
)
_WISH_VERBS = re.compile(
    r"\b(?:urged|urges|asked|asks|requested|requests|demanded|demands|called|calls|hoped|hopes|hope|"
    r"expected|expects|wished|wishes|expressed\s+(?:his|her|their|its|the|a)\s+(?:\w+\s+)?(?:hope|expectation|wish))"
    r"\s*(?:that\s*)?$"
)
# "The Alliance", "both countries", "our two nations": words that stand for the parties together.
_JOINT_WORDS = _wordset(
    """they we both two three four sides side leaders ministers countries governments delegations
    nations parties their our each all heads alliance interlocutors"""
)
_JOINT_ACTION_WORDS = _wordset(
    """the close closer bilateral trilateral security economic defence defense strategic cooperation
    coordination collaboration dialogue consultations communication exchanges ties relations partnership"""
)
_FILLER = _wordset(
    """the and both side sides government governments also as well of respective relevant authorities
    presidency ministries ministry foreign affairs officials people leaders leader minister ministers two
    three four countries country together further nations all each administration administrations
    defense defence departments department agencies teams team delegations working-level senior
    level ( ) , in"""
)
_PRONOUN = re.compile(r"^(?:he|she|his|her)$", re.IGNORECASE)
_TITLES = (
    r"Secretary(?:\s+of\s+State)?|Foreign\s+Minister|Prime\s+Minister|President|Minister|"
    r"High\s+Representative|Chancellor|Premier|Foreign\s+Secretary|State\s+Councilor|External\s+Affairs\s+Minister|"
    r"Taoiseach"
)
_TITLE_ONLY = re.compile(rf"\b[Tt]he\s+(?:Federal\s+|Union\s+)?({_TITLES})\b")
# Titles that readouts abbreviate ("EAM and Secretary Blinken expressed ..."); not after a number ("5 PM").
_TITLE_ABBREVIATIONS = {"EAM": "External Affairs Minister", "PM": "Prime Minister", "FM": "Foreign Minister"}
_TITLE_ABBREVIATION = re.compile(r"\b(EAM|PM|FM)\b(?![.\-/])")
# "The President and Prime Minister agreed": the second title of a pair drops its "the".
_TITLE_PAIR = re.compile(rf"\b[Tt]he\s+(?:{_TITLES})\s+and\s+({_TITLES})\b")
_CAP = re.compile(rf"[{UPPER}](?:{LETTER}|-)+(?:[’']s)?")
_OBJECT_BEFORE = re.compile(
    r"\b(?:with|to|for|on|from|by|of|asked|urged|thanked|told|congratulated|invited|welcomed|welcoming|"
    r"hosting|receiving|meeting|met)\s+"
    r"(?:(?:the|former|Mr\.|Ms\.|Dr\.|H\.E\.|[A-Z][a-z]+)\s+){0,4}$"
)
_TITLE_SPAN = re.compile(
    r"(?:(?:Prime|Foreign|Vice|Deputy|State|High|Chief|Cabinet)\s+)?(?:Minister|Secretary(?:\s+of\s+State)?|"
    r"President|Chancellor|Premier|Councilor|Representative|Ambassador)\s+$"
)


# The guest of a welcome, a visit hosted or a delegation received comes right after the verb.
_WELCOME_GUEST = re.compile(r"\s*(?:welcom|host|receiv)\w*\s+(?:back\s+)?")
_BETWEEN_BEFORE = re.compile(
    r"\b(?:between|among|amongst)\s+(?:the\s+)?(?:(?!and\b)[\w.’'\-]+\s+){0,3}?(?!and\b)[\w.’'\-]+$"
)
# "stated that he", "said once again that she": the reporting verb right before a pronoun.
_REPORTED_BEFORE = re.compile(
    # "along with explaining that he hopes ...": a gerund reports as well.
    r"\b[a-z]+(?:ed|ade|aid|old|ought|elt|ote|ing)\s+(?:(?:\w+ly|once\s+again|again|also|further)\s+)*"
    r"that\s*,?\s*$"
    # "..., and said he looked forward to ...": a verb of saying may leave out its "that".
    # (Not in a relative clause: "met Minister Y, who said she ..." is Y.)
    r"|(?<!\bwho\s)(?<!\bwhich\s)\b(?:said|says|added|stated|replied|responded)\s+$"
)
# A participial aside between a subject and its verb (", fully sharing the view that ..., agreed").
_PARTICIPLE_ASIDE = re.compile(
    r",\s*(?:(?:fully|also|further|again|strongly|deeply|firmly|once\s+again)\s+)*"
    r"(?!(?:including|during|according|regarding|concerning|following|notwithstanding)\b)[a-z]{3,}ing\b"
    r"[^;]{1,300}?,\s*(?:(?:also|further|then|jointly|once\s+again)\s+)*$"
)
# "agreed on the importance of X and to continue ...": a second object of "agreed", an undertaking.
_AGREED_ON_AND_TO = re.compile(
    r"\b(?P<head>(?:agreed|concurred)\s+(?:on|upon))\s+(?:(?!\bto\s+[a-z])[^.;:]){1,150}?,?\s+and\s+(?:also\s+)?"
    r"(?P<to>to)\s+(?=[a-z])"
)
_WISH_OF = re.compile(
    rf"\b(?:{_REPORTING_VERBS})\s+(?:the\s+)?(?:(?:strong|full|firm|clear)\s+)?(?:readiness|willingness|intention|intent|"
    r"determination|desire|wish|eagerness|keenness)\s+of\s+(?P<owner>(?:the\s+)?[^,.;]{1,60}?)\s+to\s+(?=[a-z])"
)
_AND_COMMITMENT_TO = re.compile(
    r"\band\s+(?:its|their|his|her|our|(?:the\s+)?[A-Z][\w.\-]*(?:[’']s|s[’']))\s+(?:(?:shared|strong|continued|unwavering|firm|"
    r"mutual|joint|steadfast|ongoing|full|common)\s+)*commitments?\s+to\s+"
)
# "hailed the distinctive relations between the two states and their determination to broaden
# their cooperation": a wish to act, as a second object of the verb.
_AND_WISH_TO = re.compile(
    r"\band\s+(?P<owner>its|their|his|her|our|(?:the\s+)?[A-Z][\w.\-]*(?:[’']s|s[’']))\s+"
    r"(?:(?:shared|strong|continued|firm|mutual|joint|common|clear|full)\s+)*"
    r"(?:determination|desire|keenness|readiness|willingness|resolve|intention|eagerness)\s+to\s+(?=[a-z])"
)
_HAILING = re.compile(r"\b(?:hailed|lauded|praised|commended)\b")
_REAFFIRMING = re.compile(
    r"\b(?:reaffirmed|reiterated|expressed|confirmed|underscored|underlined|restated|renewed|stressed|"
    r"emphasi[sz]ed|affirmed|highlighted)\b"
)
# A list of undertakings after a colon: "agreed on the following:", "agreed to:", "committed to:".
_LIST_INTRO = re.compile(
    r"\b(?P<trig>(?:agreed|decided|committed|pledged|resolved|concurred|undertook)\s+"
    r"(?:to|on\s+the\s+following(?:\s+(?:\w+\s+)?points?)?|as\s+follows))\s*:"
)
_LIST_ITEM = re.compile(
    r"\s*(?:[•·▪●◦‣*\-–—]|\(\d{1,2}\)|\([a-z]\)|\d{1,2}\)|[a-z]\))\s+"
    r"(?P<body>(?:to\s+)?(?P<verb>[a-z][^;\n]*?))(?:;(?:\s*and\b)?|(?<=[a-z0-9”\"’)])\.(?=\s|$)|(?=\n)|(?=\s+\(\d{1,2}\)\s)|$)"
)
_CLAUSE_JOIN = re.compile(r",\s*(?:and|but|while|whereas)\s+|;\s*|\s+(?:while|whereas)\s+")
_ASIDE_BEFORE = re.compile(
    r",\s*(?:together\s+with|along\s+with|alongside|with|joined\s+by|in\s+(?:close\s+)?(?:cooperation|"
    r"coordination|partnership|concert)\s+with|as\s+well\s+as)\s+[^,;]{1,80},?\s*$"
)
# A verb starts lowercase: "United" in "the United Kingdom agreed" is no past tense.
_SUBJECT_END = re.compile(
    r"\s+(?:also\s+|then\s+|once\s+again\s+|further\s+|jointly\s+)*(?:[a-z]\w*ed|is|are|was|were|has|have|"
    r"held|met|spoke|said|took|gave|made|sent|will|would|shared|underscored|expressed|agreed)\b"
)


_MEET_WITH = re.compile(
    r"\s*(?:(?:also|again|soon|further)\s+)*(?:meet|hold\s+(?:a\s+)?(?:meeting|talks)|have\s+(?:a\s+)?meeting)"
    r"(?:\s+again)?\s+with\s+"
)
# Subjects that stand for the parties of one call without counting them.
_PAIR_SUBJECT = re.compile(
    r"(?:in\s+each\s+case\s+)?(?:they|both|the\s+two|both\s+(?:leaders|ministers|sides)|the\s+two\s+(?:leaders|ministers|sides)|"
    r"the\s+(?:leaders|ministers|sides))(?:\s+(?:also|then|further))?"
)


@dataclass
class Found:
    quote_start: int
    trigger_start: int
    clause_start: int  # where the deadline words may start (a fronted "following the Summit, ...")
    parties: list[str]
    action_start: int
    # How the parties were found: "subject" (text[subject[0]:subject[1]]), "sentence" (the
    # sentence's subject), "shared" (an earlier verb's), "norm" ("there should be ..."), "decision"
    # (a meeting the parties agreed on), "accepted" (the side that accepted a proposal), "meeting"
    # (no subject found: the meeting's parties).
    basis: str = "subject"
    subject: tuple[int, int] | None = None


@dataclass
class PersonMention:
    pos: int
    end: int
    person: Person
    possessive: bool
    is_object: bool


class PointReader:
    """Reads the commitments of one point, with the readout's people to resolve pronouns."""

    def __init__(self, text: str, participants: Participants, start: int, end: int) -> None:
        self.text = text
        self.participants = participants
        self.start = start
        self.end = end
        self.mentions = self._person_mentions(start, end)
        self._positions = [pm.pos for pm in self.mentions]
        self._earlier: list[PersonMention] | None = None
        self._sentences: list[Span] | None = None

    @property
    def sentences(self) -> list[Span]:
        """The point's sentences, cut once for every stage that reads them."""
        if self._sentences is None:
            self._sentences = sentence_spans(self.text, self.start, self.end)
        return self._sentences

    # -- people ---------------------------------------------------------------------------------

    def _person_mentions(self, start: int, end: int) -> list[PersonMention]:
        found = []
        text = self.text
        for m in _CAP.finditer(text, start, end):
            token = m.group()
            possessive = token.endswith(("’s", "'s"))
            base = token[:-2] if possessive else token
            person = self.participants.person_for_token(base)
            if person is None or base.lower() in TITLE_WORDS:
                continue
            before = text[max(start, m.start() - 60) : m.start()]
            found.append(
                PersonMention(m.start(), m.end(), person, possessive, bool(_OBJECT_BEFORE.search(before)))
            )
        title_matches = [(m, m.start()) for m in _TITLE_ONLY.finditer(text, start, end)]
        title_matches += [(m, m.start(1)) for m in _TITLE_PAIR.finditer(text, start, end)]
        title_matches += [
            (m, m.start())
            for m in _TITLE_ABBREVIATION.finditer(text, start, end)
            if not re.search(r"[\d.:]\s?$", text[max(0, m.start() - 2) : m.start()])
        ]
        for m, pos in title_matches:
            title = re.sub(r"\s+", " ", _TITLE_ABBREVIATIONS.get(m.group(1), m.group(1)))
            if title == "Secretary of State":
                title = "Secretary"
            person = self.participants.person_for_title(title)
            if person is not None:
                after = text[m.end() : m.end() + 2]
                before = text[max(start, m.start() - 60) : m.start()]
                found.append(
                    PersonMention(
                        pos, m.end(), person, after in ("’s", "'s"), bool(_OBJECT_BEFORE.search(before))
                    )
                )
        # One person is often written with several capitalised tokens; keep the first of a run.
        found.sort(key=lambda pm: pm.pos)
        merged: list[PersonMention] = []
        for pm in found:
            if merged and merged[-1].person is pm.person and pm.pos - merged[-1].end <= 2:
                merged[-1].end = pm.end
                merged[-1].possessive = pm.possessive
                continue
            merged.append(pm)
        return merged

    def speaker_at(self, pos: int) -> PersonMention | None:
        """Who "he"/"she" at pos refers to: the one person heading the sentence ("Minister X said
        that he hopes to work closely with Minister Y" is X), else the nearest earlier person
        acting as a subject."""
        head = self._sentence_head(pos)
        if head is not None:
            return head
        index = bisect.bisect_left(self._positions, pos)
        for pm in reversed(self.mentions[max(0, index - 50) : index]):
            if not (pm.possessive or pm.is_object):
                return pm
        if index > 0:
            return self.mentions[index - 1]
        # "He added that ..." opening a paragraph: the last person who spoke in the paragraphs
        # just before (prose readouts put each sentence in a paragraph of its own).
        if self._earlier is None:
            self._earlier = self._person_mentions(max(0, self.start - 600), self.start)
        for pm in reversed(self._earlier):
            if not (pm.possessive or pm.is_object):
                return pm
        return None

    def _sentence_head(self, pos: int) -> PersonMention | None:
        """The one person who reports the clause holding a pronoun at pos ("Minister X stated that
        he ..."), or None when the pronoun is not in a reported clause or no one person reports it.

        The nearest earlier name is often the person they met ("Minister X stated that he is glad
        to meet Minister Y again, ..., and stated that he hopes ..."): the reporter is who "he" is.
        """
        sentences = self.sentences
        index = bisect.bisect_right(sentences, pos, key=lambda sp: sp.start) - 1
        if index < 0 or pos >= sentences[index].end:
            return None
        sent = sentences[index]
        report = _REPORTED_BEFORE.search(self.text, max(sent.start, pos - 60), pos)
        if report is None:
            return None
        verb = report.start()
        head_start = self._skip_fronted(self._after_marker(sent.start, sent.end), verb)
        clause = head_start
        for join in _CLAUSE_JOIN.finditer(self.text, head_start, verb):
            clause = join.end()
        if not self.text[clause:verb].strip() or re.search(
            r"\band\s+(?:(?:also|then|further)\s+)?$", self.text[clause:verb]
        ):
            # ", and stated that he ...", "thanked X for ... and said he ...": the verb shares the
            # sentence's subject.
            subject_end = _SUBJECT_END.search(self.text, head_start, verb)
            if subject_end is None:
                return None
            clause, verb = head_start, subject_end.start()
        people = [pm for pm in self.mentions_in(clause, verb) if not (pm.possessive or pm.is_object)]
        if not people or any(pm.person is not people[0].person for pm in people):
            return None
        return people[0]

    def with_the_one_met(self, found: Found, end: int) -> list[str]:
        """ "the Taoiseach would meet with the Prime Minister in the very near future": a meeting
        takes both, so the party of the one met joins the one who undertakes it."""
        m = _MEET_WITH.match(self.text, found.action_start, end)
        if m is None:
            return found.parties
        met = [
            pm.person.party
            for pm in self.mentions_in(m.end(), min(end, m.end() + 60))
            if pm.person.party in self.participants.parties
        ]
        if not met or met[0] in found.parties:
            return found.parties
        return [p for p in self.participants.parties if p in found.parties or p == met[0]]

    def pair_of_the_call(self, found: Found) -> list[str]:
        """The parties of a joint undertaking in a release that reports several calls or a meeting of
        more than two: "They agreed to meet in Brussels next week" in the paragraph on one call is
        that call's two parties, those whose people the paragraph names (the publisher's side
        completing a pair when only the other is named). Subjects that count ("the three ministers")
        or name their parties keep theirs."""
        parties = self.participants.parties
        if len(parties) < 3 or len(found.parties) < 3:
            return found.parties
        if found.basis == "subject" and found.subject is not None:
            words = " ".join(self.text[found.subject[0] : found.subject[1]].lower().split())
            if not _PAIR_SUBJECT.fullmatch(words):
                return found.parties
        named = {pm.person.party for pm in self.mentions if pm.person.party}
        home = self.participants.home
        if len(named) == 1 and home is not None and home in parties and home not in named:
            named.add(home)
        if len(named) != 2 or not named <= set(parties):
            return found.parties
        return [p for p in parties if p in named]

    def mentions_in(self, s: int, e: int) -> list[PersonMention]:
        return self.mentions[bisect.bisect_left(self._positions, s) : bisect.bisect_left(self._positions, e)]

    def display_at(self, pm: PersonMention) -> str:
        """The person as written with their title ("Prime Minister Modi")."""
        name = self.text[pm.pos : pm.end]
        name = re.sub(r"[’']s$", "", name)
        before = self.text[max(0, pm.pos - 40) : pm.pos]
        title = _TITLE_SPAN.search(before)
        return (title.group() + name) if title else name

    # -- subjects -------------------------------------------------------------------------------

    def resolve_np(self, s: int, e: int) -> tuple[list[str], bool]:
        """Parties named by the noun phrase text[s:e]; the flag says whether it names only parties."""
        parties, status = self.resolve_np_status(s, e)
        return parties, status == "ok"

    def resolve_np_status(self, s: int, e: int) -> tuple[list[str], str]:
        """Parties of text[s:e] and "ok", "reject" (a subject that is no party) or "unknown"."""
        parties, ok = self._resolve_np(s, e)
        if ok:
            return parties, "ok"
        return [], self._reject_reason(s, e)

    def _reject_reason(self, s: int, e: int) -> str:
        np = self.text[s:e].strip()
        people = self.mentions_in(s, e)
        if people and all(pm.person.party is None and not pm.person.former for pm in people):
            return "unknown"
        if _PRONOUN.match(np) or people or find_mentions(self.text, s, e):
            return "reject"
        return "unknown"

    def _resolve_np(self, s: int, e: int) -> tuple[list[str], bool]:
        np = self.text[s:e].strip()
        words = re.findall(r"[A-Za-z][\w.\-’']*|[(),]", np)
        if not words:
            return [], False
        lowered = [w.lower() for w in words]
        if len(words) == 1 and _PRONOUN.match(words[0]):
            pm = self.speaker_at(s)
            if pm is None or pm.person.former or pm.person.party is None:
                return [], False
            return [pm.person.party], True
        if lowered[0] in ("it", "this", "that", "which", "who", "there"):
            return [], False
        me = self.participants.first_person
        if len(words) == 1 and words[0] == "I":
            return ([me.party], True) if me is not None and me.party else ([], False)
        parties: list[str] = []
        covered = [False] * len(words)
        mentions = find_mentions(self.text, s, e)
        for mention in mentions:
            if mention.party is None:
                return [], False
            # "Japan's export-restrictive measures": a possessive makes the party a modifier.
            if self.text[mention.end : mention.end + 2] in ("’s", "'s"):
                return [], False
            if mention.party not in parties:
                parties.append(mention.party)
        mention_words = set()
        for mention in mentions:
            for w in re.findall(r"[A-Za-z][\w.\-’']*", mention.surface):
                mention_words.add(w.lower())
        for pm in self.mentions_in(s, e):
            if pm.possessive or pm.person.former:
                return [], False
            # A person whose party the readout never says leaves the subject unresolved, not rejected.
            if pm.person.party is not None and pm.person.party not in parties:
                parties.append(pm.person.party)
            for w in re.findall(r"[A-Za-z][\w.\-’']*", self.text[pm.pos : pm.end]):
                mention_words.add(w.lower())
        joint = False
        for i, w in enumerate(lowered):
            if w in mention_words or w.rstrip("’'s") in mention_words:
                covered[i] = True
            elif "-" in w and all(
                part.rstrip(".") in mention_words or part.rstrip(".") + "." in mention_words
                for part in w.split("-")
            ):
                # "the Japan-U.S. Alliance": a compound of the parties' names.
                covered[i] = True
            elif w in _JOINT_WORDS:
                covered[i] = True
                joint = True
            elif w in _FILLER or w in TITLE_WORDS or self.participants.person_for_token(w) is not None:
                covered[i] = True
            elif "-" in w and all(part in TITLE_WORDS for part in w.split("-")):
                # "The Secretary-General": a hyphenated title of a person named by it.
                covered[i] = True
            elif words[i] == "I" and me is not None:
                covered[i] = True
                if me.party and me.party not in parties:
                    parties.append(me.party)
        if not all(covered) and ("between" in lowered or "among" in lowered):
            # "cooperation between Japan and Australia will continue": the joint action of both.
            cut = lowered.index("between") if "between" in lowered else lowered.index("among")
            if all(covered[cut + 1 :]) and all(
                w in _JOINT_ACTION_WORDS or covered[i] for i, w in enumerate(lowered[:cut])
            ):
                covered = [True] * len(words)
        if not all(covered):
            return [], False
        if (joint and not parties) or (joint and lowered[0] in ("both", "the") and len(parties) == 0):
            parties = list(self.participants.parties)
        if (
            not parties
            and self.participants.home
            and lowered in (["the", "government"], ["the", "presidency"], ["the", "administration"])
        ):
            # "the Government will ...", "the Presidency will ...": the publisher's own.
            parties = [self.participants.home]
        for i, w in enumerate(lowered):
            # "Foreign Minister Maas and his counterparts": the other parties of the meeting; "his
            # French counterpart" names its own.
            if w in ("counterpart", "counterparts") and not (i > 0 and covered[i - 1] and mentions):
                parties += [p for p in self.participants.parties if p not in parties]
        return parties, bool(parties)

    def sentence_subject(self, sent: Span) -> tuple[list[str], bool]:
        s = self._after_marker(sent.start, sent.end)
        s = self._skip_fronted(s, sent.end)
        m = _SUBJECT_END.search(self.text, s, sent.end)
        if not m:
            return [], False
        return self.resolve_np(s, m.start())

    def _after_marker(self, s: int, e: int) -> int:
        m = _MARKER_PREFIX.match(self.text, s, e)
        return m.end() if m else s

    def _skip_fronted(self, s: int, e: int) -> int:
        for _ in range(3):
            m = _FRONTED.match(self.text, s, e)
            if not m or m.end() >= e:
                break
            s = m.end()
        return s

    # -- finding ---------------------------------------------------------------------------------

    def find(self) -> list[tuple[int, int, Found]]:
        """(quote start, quote end, finding) for every undertaking in the point."""
        results: list[tuple[int, int, Found]] = []
        for sent in self.sentences:
            found = self._in_sentence(sent)
            found.sort(key=lambda f: f.trigger_start)
            for i, f in enumerate(found):
                limit = sent.end
                if i + 1 < len(found):
                    limit = min(limit, max(found[i + 1].quote_start, f.trigger_start + 1))
                    nxt_open = self._opener_before(found[i + 1].quote_start, sent.start)
                    if nxt_open is not None and nxt_open > f.trigger_start:
                        limit = min(limit, nxt_open)
                reason = _REASON_CUT.search(self.text, f.action_start, limit)
                if reason is not None:
                    # The reason given for it is not part of the undertaking (nor are its time words).
                    limit = reason.start()
                end = self._trim_end(f.quote_start, limit)
                if end <= f.quote_start:
                    continue
                if world_wide_policy(
                    self.text, f.action_start, end, f.parties, self.participants.parties
                ) or self.third_party_policy(f, end):
                    continue
                results.append((f.quote_start, end, f))
        listed = [r for r in self._listed() if not any(a <= r[0] < b for a, b, _f in results)]
        return sorted(results + listed, key=lambda r: r[0]) if listed else results

    def _listed(self) -> list[tuple[int, int, Found]]:
        """ "The two ministers agreed on the following: (1) to strengthen ...; (2) to hold ...", and
        "They agreed to:" over bullets: each item is an undertaking of the subject before the colon."""
        text = self.text
        results: list[tuple[int, int, Found]] = []
        for m in _LIST_INTRO.finditer(text, self.start, self.end):
            sent = next((sp for sp in self.sentences if sp.start <= m.start() < sp.end), None)
            if sent is None:
                continue
            f = self._with_subject(sent, m.start(), m.start("trig") + len(m.group("trig")), infinitive=True)
            if f is None:
                continue
            pos = m.end()
            while True:
                item = _LIST_ITEM.match(text, pos, self.end)
                if item is None:
                    break
                body_start, body_end = item.start("body"), item.end("body")
                end = self._trim_end(body_start, body_end)
                if end > body_start:
                    action = item.start("verb")
                    found = Found(
                        body_start, body_start, body_start, list(f.parties), action, f.basis, f.subject
                    )
                    results.append((body_start, end, found))
                pos = item.end()
        return results

    def _opener_before(self, pos: int, floor: int) -> int | None:
        """The start of "that " just before pos, so the previous quote does not swallow it."""
        window = self.text[max(floor, pos - 10) : pos]
        m = re.search(r"(?:,\s*)?(?:\band\s+)?\bthat\s*$", window)
        return max(floor, pos - 10) + m.start() if m else None

    def _trim_end(self, s: int, e: int) -> int:
        m = _TRAILING.search(self.text, s, e)
        if m and m.end() == e:
            e = m.start()
        return e

    def _in_sentence(self, sent: Span) -> list[Found]:
        text = self.text
        found: list[Found] = []
        taken: list[tuple[int, int]] = []
        for m in _INFINITIVE.finditer(text, sent.start, sent.end):
            trig = m.group("trig")
            if trig.startswith("commit") and _STATIVE_COMMITTED.search(
                text[max(sent.start, m.start() - 20) : m.start()]
            ):
                continue
            after = text[m.end() : min(sent.end, m.end() + 120)]
            if "forward" in trig and not _FORWARD_OBJECTS.match(after):
                continue
            if trig.startswith(("hope", "hoping")) and re.match(r"\s*(?:that|for)\b", after):
                continue
            if trig.startswith(("want", "wish", "would", "hope", "intend")) and _COURTESY_ACT.match(after):
                # "wanted to congratulate him fulsomely", "wished to thank the Minister": courtesy
                # paid in the meeting itself, not a future act.
                continue
            if _NOUN_FORM.match(trig) and not _VERB_SUBJECT_BEFORE.search(
                text, max(sent.start, m.start() - 40), m.start()
            ):
                # "the Prime Minister's economic agenda and plans to ...": the noun, not the verb.
                continue
            if (
                found
                and _FOLLOW_THROUGH.match(after)
                and re.search(r"\band\s+$", text[found[-1].trigger_start : m.start()])
            ):
                # "agreed to hold a summit ... and decided to coordinate the details": one undertaking.
                continue
            f = self._with_subject(sent, m.start(), m.end(), infinitive=True)
            if f and _BOTH_SIDES_OF.search(trig) and self.participants.parties:
                # "highlighted the keenness of the two countries to ...": the wish is both sides'.
                f.parties, f.basis = list(self.participants.parties), "meeting"
            if f:
                if trig.startswith("accept"):
                    # The invitation's own time ("invited X to visit at an early date, and X accepted
                    # the invitation") is the acceptance's.
                    f.clause_start = min(f.clause_start, sent.start)
                found.append(f)
                taken.append((m.start(), m.end()))
                if "forward" in trig:
                    found.extend(self._coordinated_forward(sent, m.end(), f))
        for m in _AGREED_ON_AND_TO.finditer(text, sent.start, sent.end):
            # "agreed on the importance of the relationship and to continue working together": the
            # infinitive after "and" is agreed to as well.
            if any(a <= m.start("to") < b for a, b in taken):
                continue
            f = self._with_subject(sent, m.start(), m.start() + len(m.group("head")), infinitive=True)
            if f:
                found.append(
                    Found(
                        m.start("to"),
                        m.start("to"),
                        m.start("to"),
                        list(f.parties),
                        m.end(),
                        f.basis,
                        f.subject,
                    )
                )
                taken.append((m.start("to"), m.end()))
        for m in _WISH_OF.finditer(text, sent.start, sent.end):
            # "expressed the readiness of the Lithuanian Presidency to continue ...": the wish is its
            # owner's, kept only when the owner is a party of the meeting.
            if any(a <= m.start() < b for a, b in taken):
                continue
            owner, status = self.resolve_np_status(m.start("owner"), m.end("owner"))
            if status != "ok" or not set(owner) & set(self.participants.parties):
                continue
            f = self._with_subject(sent, m.start(), m.end(), infinitive=True)
            quote_start = f.quote_start if f else m.start()
            found.append(
                Found(
                    quote_start,
                    m.start(),
                    quote_start,
                    owner,
                    m.end(),
                    "subject",
                    (m.start("owner"), m.end("owner")),
                )
            )
            taken.append((m.start(), m.end()))
        for m in _AND_COMMITMENT_TO.finditer(text, sent.start, sent.end):
            # "reaffirmed Australia's steadfast support for Japan and its commitment to work together":
            # the commitment is a second object of the reporting verb before it.
            verb = _REAFFIRMING.search(text, max(sent.start, m.start() - 150), m.start())
            after = text[m.end() : min(sent.end, m.end() + 80)]
            if verb is None or any(a <= m.start() < b for a, b in taken):
                continue
            if not (_ACTION_NOUNS.match(after) or _ACTION_VERBS.match(after) or _NOMINAL_ACTION.match(after)):
                continue
            f = self._with_subject(sent, verb.start(), verb.end(), infinitive=True)
            if f:
                found.append(
                    Found(
                        f.quote_start, m.start(), f.clause_start, list(f.parties), m.end(), f.basis, f.subject
                    )
                )
                taken.append((m.start(), m.end()))
        for m in _AND_WISH_TO.finditer(text, sent.start, sent.end):
            window = max(sent.start, m.start() - 150)
            verb = _REAFFIRMING.search(text, window, m.start()) or _HAILING.search(text, window, m.start())
            if verb is None or any(a <= m.start() < b for a, b in taken):
                continue
            f = self._with_subject(sent, verb.start(), verb.end(), infinitive=True)
            if f is None:
                continue
            parties = list(f.parties)
            if m.group("owner") == "their" and len(parties) == 1 and self.participants.parties:
                # "their" is not the one person who hails: it is the two states named before it.
                if not re.search(r"\b(?:two|both)\b", text[verb.end() : m.start()]):
                    continue
                parties = list(self.participants.parties)
            found.append(
                Found(f.quote_start, m.start(), f.clause_start, parties, m.end(), f.basis, f.subject)
            )
            taken.append((m.start(), m.end()))
        for m in _COMMITMENT_TO.finditer(text, sent.start, sent.end):
            after = text[m.end() : min(sent.end, m.end() + 80)]
            if not (
                _ACTION_NOUNS.match(after)
                or _ACTION_VERBS.match(after)
                or _GOAL_AND_ACTION.match(after)
                or _NOMINAL_ACTION.match(after)
            ):
                continue
            if m.group("trig").startswith("shared") and _DETERMINER_BEFORE.search(
                text, max(sent.start, m.start() - 12), m.start()
            ):
                # "discussed our shared commitment to ...": an adjective, and the verb is a discussion.
                continue
            f = self._with_subject(sent, m.start(), m.end(), infinitive=True)
            if f and self._own_standing_commitment(sent, m):
                continue
            if f:
                found.append(f)
                taken.append((m.start(), m.end()))
        for m in _MODAL.finditer(text, sent.start, sent.end):
            if any(a <= m.start() < b for a, b in taken):
                continue
            rest = text[m.end() : min(sent.end, m.end() + 60)]
            if _STANCE.match(rest) or _DEMAND_ONLY.match(rest):
                continue
            if _PASSIVE.match(rest) and not self._agreed_meeting(sent, m):
                continue
            f = self._modal(sent, m, found)
            if f:
                found.append(f)
        for m in _ACCEPTED_PROPOSAL.finditer(text, sent.start, sent.end):
            f = self._accepted(sent, m)
            if f:
                found.append(f)
        for m in _JOINT_PROPOSAL.finditer(text, sent.start, sent.end):
            if any(a <= m.start() < b for a, b in taken) or len(self.participants.parties) < 2:
                continue
            seg_start = self._skip_fronted(self._segment_start(sent, m.start()), m.start())
            both = list(self.participants.parties)
            found.append(Found(seg_start, m.start(), seg_start, both, m.start("act"), "accepted"))
        for m in _SUBJUNCTIVE.finditer(text, sent.start, sent.end):
            s_start, s_end = m.start("subj"), m.end("subj")
            if any(a <= s_start < b or s_start <= a < m.end() for a, b in taken) or any(
                f.quote_start == s_start for f in found
            ):
                continue
            parties, status = self.resolve_np_status(s_start, s_end)
            if status != "ok" or not set(parties) & set(self.participants.parties or parties):
                continue
            if m.group("proposal") and len(set(parties) & set(self.participants.parties)) < 2:
                continue
            found.append(
                Found(s_start, m.start("verb"), s_start, parties, m.start("verb"), subject=(s_start, s_end))
            )
        for m in _THERE_SHOULD.finditer(text, sent.start, sent.end):
            found.append(
                Found(m.start(), m.start(), m.start(), list(self.participants.parties), m.start(), "norm")
            )
        # One trigger inside another's clause ("agreed to ... and committed to") stays separate,
        # but the same span must not be reported twice.
        unique: dict[int, Found] = {}
        for f in found:
            unique.setdefault(f.quote_start, f)
        return list(unique.values())

    def _own_standing_commitment(self, sent: Span, m: re.Match[str]) -> bool:
        """ "reiterated Canada's commitment to strengthening co-operation with APEC members": one
        side's standing commitment, named by its country, that does not reach the other party of
        the meeting, is a position (the labelling rule on standing policy and goals);
        "reiterated India's commitment to strengthen its partnership with Australia" is kept."""
        own = _COUNTRY_POSSESSIVE.search(m.group("trig"))
        meeting = self.participants.parties
        if own is None or len(meeting) < 2:
            return False
        first, last = m.start() + own.start(), m.start() + own.end()
        owner = [x.party for x in find_mentions(self.text, first, last) if x.party]
        if len(owner) != 1:
            return False
        clause = re.search(r"[;.]|,\s+(?:and|but|while)\s+", self.text[m.end() : sent.end])
        end = m.end() + clause.start() if clause else sent.end
        others = [p for p in meeting if p != owner[0]]
        named = {x.party for x in find_mentions(self.text, m.end(), end) if x.party}
        named |= {pm.person.party for pm in self.mentions_in(m.end(), end) if pm.person.party}
        return not (named & set(others) or _TOWARD_PARTIES.search(self.text, m.end(), end))

    def third_party_policy(self, f: Found, end: int) -> bool:
        """ "the EU would continue to provide military support to Ukraine", said to Australia: one
        side restating its continuing policy toward a third country is a position, not an
        undertaking to the other party (the labelling rule on standing policy)."""
        meeting = self.participants.parties
        if len(set(f.parties)) != 1 or len(meeting) < 2:
            return False
        if not _CONTINUE.search(self.text, f.trigger_start, end):
            return False
        named = [x.party for x in find_mentions(self.text, f.action_start, end) if x.party]
        if any(p in meeting for p in named) or self.mentions_in(f.action_start, end):
            return False
        if _TOWARD_PARTIES.search(self.text, f.action_start, end):
            return False  # "continue to work closely with him", "our two countries"
        return any(p not in _GROUPINGS_AND_BODIES for p in named)

    def _accepted(self, sent: Span, m: re.Match[str]) -> Found | None:
        """ "X suggested to Y that he visit Paris on Friday, to which the latter agreed": the visit
        is undertaken by the one who agreed (Y), not by the one who proposed it."""
        who = m.group("who") or "the latter"
        if who.lower().startswith(("the latter", "he", "she")):
            # The proposal's addressee accepts it: "the latter" is the one it was made to.
            span = (m.start("obj"), m.end("obj"))
        else:
            span = (m.start("who"), m.end("who"))
        parties = [pm.person.party for pm in self.mentions_in(*span) if pm.person.party]
        parties += [x.party for x in find_mentions(self.text, *span) if x.party]
        parties = list(dict.fromkeys(parties))
        if len(parties) != 1 or (self.participants.parties and parties[0] not in self.participants.parties):
            return None
        seg_start = self._skip_fronted(self._segment_start(sent, m.start()), m.start())
        return Found(seg_start, m.start(), seg_start, parties, m.start("act"), "accepted")

    def _coordinated_forward(self, sent: Span, pos: int, first: Found) -> list[Found]:
        """ "looked forward to welcoming X to the Summit, and to working together during Y": each
        object of "looked forward to" is an undertaking of its own, with its own time."""
        more = []
        for m in _AND_TO.finditer(self.text, pos, sent.end):
            after = self.text[m.end() : min(sent.end, m.end() + 120)]
            if _FORWARD_OBJECTS.match(after):
                more.append(Found(m.end(), m.end(), m.end(), list(first.parties), m.end(), "shared"))
        return more

    def clause_subject(self, sent: Span, pos: int) -> tuple[int, list[str], str]:
        """The clause holding the verb at pos: (its start, its subject's parties, status), status
        being ok/reject/unknown as for `resolve_np_status`; a verb that shares the sentence's
        subject ("..., and agreed to") takes that subject's."""
        seg_start = self._skip_fronted(self._segment_start(sent, pos), pos)
        _np_start, parties, status = self._subject_before(seg_start, pos)
        if status == "none":
            parties, status = self._sentence_subject_status(sent)
        return seg_start, parties, status

    def _agreed_meeting(self, sent: Span, m: re.Match[str]) -> bool:
        """ "They agreed that the next meeting will be held ...": a passive joint decision about a
        meeting, or one that sends the parties' own people ("that officials would meet")."""
        seg_start = self._segment_start(sent, m.start())
        if not _JOINT_DECISION.search(self.text, max(sent.start, seg_start - 40), seg_start):
            return False
        return bool(
            _MEETING_SUBJECT.search(self.text, seg_start, m.start())
            or _OWN_PEOPLE.fullmatch(self.text, seg_start, m.start())
        )

    def _segment_start(self, sent: Span, pos: int) -> int:
        """Where the clause holding the trigger at pos begins (after "that", or the sentence start)."""
        s = self._after_marker(sent.start, sent.end)
        best = s
        for m in _OPENER.finditer(self.text, s, pos):
            best = m.end()
        for m in re.finditer(r";\s*", self.text[s:pos]):
            best = max(best, s + m.end())
        return best

    def _subject_before(self, seg_start: int, verb_start: int) -> tuple[int, list[str], str]:
        """The subject right before a verb: (start, parties, status) with status ok/reject/unknown/none.

        Candidates run from the clause start to the nearest comma or "and"; the longest one that
        names only parties wins, so "Japan, the United States and the ROK will" keeps the ROK.
        """
        text = self.text
        np_end = verb_start
        # "The Prime Minister began by expressing commitment to ...": the subject is before "began by".
        adv = re.search(
            rf"(?:\s+(?:{_ADVERBS}|has|have|had|is|are|was|were|am|remains?|remained|"
            r"(?:began|begun|started|opened|closed|concluded|ended)\s+by))+\s*$",
            text[seg_start:verb_start],
        )
        if adv:
            np_end = seg_start + adv.start()
        if not text[seg_start:np_end].strip():
            return verb_start, [], "none"
        aside = _ASIDE_BEFORE.search(text, seg_start, np_end)
        if aside and text[seg_start : aside.start()].strip():
            # "Japan and Australia, with other like-minded countries, will ...": the aside names
            # company, not the subject.
            np_end = aside.start()
        # Only the last few candidates, close to the verb: trying every one from the clause start
        # made each verb cost the square of the clause (issue 19: quadratic on long clauses).
        window = max(seg_start, np_end - _SUBJECT_WINDOW)
        starts = ([seg_start] if seg_start == window else []) + [
            window + m.end()
            for m in re.finditer(
                r",\s*(?:and\s+|but\s+|while\s+)?|\s+(?:and|but|while)\s+", text[window:np_end]
            )
            # "between Japan and Australia" is one phrase: no subject starts inside it.
            if "," in m.group()
            or not _BETWEEN_BEFORE.search(text, max(seg_start, window + m.start() - 60), window + m.start())
        ]
        if len(starts) > _SUBJECT_CANDIDATES:
            starts = starts[-_SUBJECT_CANDIDATES:]
        if not starts:
            # A clause longer than the window with no comma or "and" in it: no subject to read.
            return seg_start, [], "unknown"
        if starts[-1] >= np_end or not text[starts[-1] : np_end].strip():
            # "..., and agreed to": the verb shares the sentence's subject.
            return verb_start, [], "none"
        statuses = []
        for start in starts:
            parties, status = self.resolve_np_status(start, np_end)
            if status == "ok":
                return start, parties, "ok"
            statuses.append(status)
        return seg_start, [], statuses[-1]

    def _with_subject(self, sent: Span, trig_start: int, trig_end: int, infinitive: bool) -> Found | None:
        # The aside is at most a few hundred characters: look no further back (a sentence of a
        # megabyte must not cost its length at every verb).
        aside = _PARTICIPLE_ASIDE.search(self.text, max(sent.start, trig_start - 400), trig_start)
        if (
            aside is not None
            and self.text[
                max(self._after_marker(sent.start, aside.start()), aside.start() - 60) : aside.start()
            ].strip()
        ):
            # "The two ministers, sharing the view that North Korea's test is a provocation, agreed
            # to ...": the subject is before the aside, and the names inside it are not.
            fronted_start = self._segment_start(sent, aside.start())
            seg_start = self._skip_fronted(fronted_start, aside.start())
            np_start, parties, status = self._subject_before(seg_start, aside.start())
            if status == "ok":
                if self.participants.parties and not set(parties) & set(self.participants.parties):
                    return None
                return Found(
                    trig_start, trig_start, trig_start, parties, trig_end, subject=(np_start, aside.start())
                )
            if status == "reject":
                return None
            # A subject of titles that name no party ("The Vice Minister and the Deputy Secretary"):
            # the meeting's parties, as for a sentence whose subject is not read.
            parties = self._without_guests(list(self.participants.parties), trig_end, sent.end)
            return (
                Found(trig_start, trig_start, trig_start, parties, trig_end, "meeting") if parties else None
            )
        fronted_start = self._segment_start(sent, trig_start)
        seg_start = self._skip_fronted(fronted_start, trig_start)
        np_start, parties, status = self._subject_before(seg_start, trig_start)
        if status == "ok":
            if self._importance_governs(seg_start) or self._third_party_wish(sent, seg_start, parties):
                return None
            if self.participants.parties and not set(parties) & set(self.participants.parties):
                return None
            clause_start = self._clause_start(fronted_start, seg_start, np_start)
            return Found(
                np_start, trig_start, clause_start, parties, trig_end, subject=(np_start, trig_start)
            )
        if status == "reject":
            return None
        parties, ok = self.sentence_subject(sent)
        basis = "sentence"
        if not ok:
            _subject, subject_status = self._sentence_subject_status(sent)
            if subject_status == "reject":
                return None
            parties = self._without_guests(list(self.participants.parties), trig_end, sent.end)
            basis = "meeting"
        if not parties:
            return None
        return Found(trig_start, trig_start, trig_start, parties, trig_end, basis)

    def _without_guests(self, parties: list[str], pos: int, end: int) -> list[str]:
        """ "looked forward to welcoming Prime Minister X": X is the guest, not one who undertakes."""
        m = _WELCOME_GUEST.match(self.text, pos, end)
        if not m:
            return parties
        guests = {pm.person.party for pm in self.mentions_in(m.end(), m.end() + 80) if pm.person.party}
        guests |= {x.party for x in find_mentions(self.text, m.end(), min(end, m.end() + 40)) if x.party}
        hosts = [p for p in parties if p not in guests]
        return hosts or parties

    def _clause_start(self, fronted_start: int, after_fronted: int, np_start: int) -> int:
        """A fronted time phrase ("Following the Summit, ...") belongs to the undertaking; others do not."""
        if (
            np_start == after_fronted
            and after_fronted > fronted_start
            and _RELATION_START.match(self.text, fronted_start, np_start)
        ):
            return fronted_start
        return np_start

    def _sentence_subject_status(self, sent: Span) -> tuple[list[str], str]:
        s = self._after_marker(sent.start, sent.end)
        s = self._skip_fronted(s, sent.end)
        m = _SUBJECT_END.search(self.text, s, sent.end)
        if not m:
            return [], "unknown"
        return self.resolve_np_status(s, m.start())

    def _person_in(self, s: int, e: int) -> bool:
        return bool(self.mentions_in(s, e))

    def _background_governs(self, sent: Span, clause_start: int) -> bool:
        """ "As it has been confirmed at various levels ... that X will ...": a prior undertaking cited."""
        return bool(_BACKGROUND.search(self.text, sent.start, clause_start))

    def _importance_governs(self, clause_start: int) -> bool:
        before = self.text[max(self.start, clause_start - 60) : clause_start]
        before = re.sub(r"\bthat\s*$", "", before)
        return bool(_IMPORTANCE_BEFORE.search(before))

    def _third_party_wish(self, sent: Span, clause_start: int, parties: list[str]) -> bool:
        """ "X urged/hoped that Y will ...": an undertaking only when Y includes X's own party."""
        window_start = max(sent.start, clause_start - 60)
        wish = _WISH_VERBS.search(self.text, window_start, clause_start)
        if not wish:
            return False
        speaker = self._speaker_parties(sent, wish.start())
        if speaker is None:
            return False
        if not set(speaker) & set(parties):
            return True
        if len(speaker) == 1 and re.match(r"they\b", self.text[clause_start : clause_start + 5]):
            # "He noted that India already leads ... and expressed his hope that they will commit":
            # "they" in one side's hope is the other side, named as a subject just before.
            others = {
                x.party
                for x in find_mentions(self.text, sent.start, wish.start())
                if x.party in self.participants.parties
                and x.party not in speaker
                and self.text[x.end : x.end + 2] not in ("’s", "'s")
                and not _PREPOSITION_BEFORE.search(self.text, max(sent.start, x.start - 12), x.start)
            }
            return len(others) == 1
        return False

    def _speaker_parties(self, sent: Span, verb_start: int) -> list[str] | None:
        """The parties of whoever says or wishes the verb at verb_start (its subject)."""
        seg_start = self._skip_fronted(self._segment_start(sent, verb_start), verb_start)
        _np_start, parties, status = self._subject_before(seg_start, verb_start)
        if status == "ok":
            return parties
        if status == "none":
            subject, ok = self.sentence_subject(sent)
            if ok:
                return subject
        speaker = self.speaker_at(verb_start)
        if speaker is not None and speaker.person.party:
            return [speaker.person.party]
        return None

    def _modal(self, sent: Span, m: re.Match[str], earlier: list[Found]) -> Found | None:
        text = self.text
        modal_start = m.start()
        seg_start = self._segment_start(sent, modal_start)
        # A second verb of the same subject: "he would convey ..., would work closely ...".
        prior = [
            f
            for f in earlier
            if seg_start <= f.trigger_start < modal_start
            and text[f.trigger_start : f.trigger_start + 6] in ("would ", "will ", "should", "shall ")
        ]
        between = text[seg_start:modal_start]
        if prior and re.search(r"(?:,\s*|\s)(?:and\s+)?$", between):
            last = prior[-1]
            return Found(modal_start, modal_start, modal_start, list(last.parties), m.end(), "shared")
        after_fronted = self._skip_fronted(seg_start, modal_start)
        np_start, parties, status = self._subject_before(after_fronted, modal_start)
        if status == "none" and re.search(r"\band\s+$", between):
            # "agreed that the two countries are close partners ..., and will continue to work
            # together": the second verb shares the clause's subject.
            head = _SUBJECT_END.search(text, after_fronted, modal_start)
            if head is not None and head.start() > after_fronted:
                parties, status = self.resolve_np_status(after_fronted, head.start())
                np_start = after_fronted
        if status != "ok":
            assured = self._assured_by(sent, seg_start, after_fronted, modal_start)
            if assured:
                parties, status, np_start = assured, "ok", after_fronted
        if status != "ok":
            if (
                (
                    _PASSIVE.match(text[m.end() : m.end() + 60])
                    or _MEETING_GOES_ON.match(text, m.end())
                    or _OWN_PEOPLE.fullmatch(text, after_fronted, modal_start)
                )
                and self._agreed_meeting(sent, m)
                and self.participants.parties
            ):
                return Found(
                    after_fronted,
                    modal_start,
                    after_fronted,
                    list(self.participants.parties),
                    m.end(),
                    "decision",
                )
            return None
        clause_start = self._clause_start(seg_start, after_fronted, np_start)
        np_end = modal_start
        if m.group("modal") == "should":
            # Normative "should" binds the parties only when it is about their own conduct.
            words = text[np_start:np_end].lower().split()
            if not words:
                return None
            if not set(words) & _JOINT_WORDS:
                speaker = self._speaker_parties(sent, seg_start)
                if speaker is None or not set(speaker) & set(parties):
                    return None
        if self._importance_governs(seg_start) or self._third_party_wish(sent, seg_start, parties):
            return None
        if self._background_governs(sent, seg_start):
            return None
        if self._warning_governs(sent, seg_start, m.end()):
            return None
        if self.participants.parties and not set(parties) & set(self.participants.parties):
            return None
        return Found(
            clause_start, modal_start, clause_start, parties, m.end(), subject=(np_start, modal_start)
        )

    def _assured_by(self, sent: Span, seg_start: int, np_start: int, np_end: int) -> list[str]:
        """ "conveyed the assurance that India's capabilities would remain available ...": an assurance
        binds the side that gives it, whatever the clause's subject: the party owning the subject
        ("India's"), else the speaker's."""
        assurance = _ASSURANCE_BEFORE.search(self.text, max(sent.start, seg_start - 80), seg_start)
        if assurance is None:
            return []
        meeting = self.participants.parties
        owners = [
            x.party
            for x in find_mentions(self.text, np_start, np_end)
            if x.party in meeting and self.text[x.end : x.end + 2] in ("’s", "'s")
        ]
        if owners:
            return owners[:1]
        speaker = self._speaker_parties(sent, assurance.start())
        return [p for p in speaker or [] if p in meeting] if meeting else list(speaker or [])

    def _warning_governs(self, sent: Span, clause_start: int, modal_end: int) -> bool:
        """ "made clear / warned that X will ...", or "stressed that X will act ... in response to
        ...": a warning or a restated policy, not an undertaking of the meeting."""
        window = max(sent.start, clause_start - 60)
        if _WARNING_BEFORE.search(self.text, window, clause_start) or reason_governs(
            self.text, window, clause_start
        ):
            return True
        if _EMPHASIS_BEFORE.search(self.text, window, clause_start):
            return bool(_CONDITIONAL.search(self.text, modal_end, sent.end))
        return False


# One side's policy pursued with the world at large ("continue the fight against terrorism in
# collaboration with the international community, including Norway", "France remains ready to
# contribute, along with its partners"): a position, even when the other party is one partner named.
_WORLD_COMPANY = re.compile(
    r"\b(?:(?:in\s+(?:close\s+)?(?:collaboration|cooperation|coordination|concert|partnership)|together|along|"
    r"jointly)\s+with|alongside)\s+(?:the\s+)?(?:international\s+community|world|(?:all\s+)?(?:its|their|our|his|"
    r"her|other|like-minded|international|global)\s+(?:[\w\-]+\s+)?partners|other\s+(?:countries|nations)|"
    r"like-minded\s+(?:countries|nations))\b"
)


_COUNTRY_POSSESSIVE = re.compile(r"\b[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)*[’']s\b")
_CONTINUE = re.compile(r"\bcontinu(?:e|es|ed|ing)\b")
# Words that make the other party the partner of a continuing policy ("with him", "bilateral").
_TOWARD_PARTIES = re.compile(
    r"\b(?:with\s+(?:him|her|them|each\s+other|one\s+another)|bilateral|two\s+countries|both\s+countries|"
    r"together)\b",
    re.IGNORECASE,
)
# Bodies and groupings a policy may be pursued in, which are no third country.
_GROUPINGS_AND_BODIES = frozenset(
    {"G7", "G20", "Quad", "ASEAN", "NATO", "United Nations", "African Union", "European Union"}
)


def reason_governs(text: str, window: int, clause_start: int) -> bool:
    """Whether the clause at clause_start is a reason given ("taking into account that X will ...")."""
    return bool(_REASON_BEFORE.search(text, window, clause_start))


def world_wide_policy(text: str, start: int, end: int, parties: list[str], meeting: list[str]) -> bool:
    """Whether text[start:end], undertaken by one side alone, is a policy pursued with the world at
    large rather than an undertaking to the other party (the labelling clarification)."""
    if len(set(parties)) != 1 or len(meeting) < 2:
        return False
    return bool(_WORLD_COMPANY.search(text, start, end))


def starts_action(text: str, pos: int) -> bool:
    """Whether a verb of undertaking ("hold", "continue to", "work") begins at pos."""
    return bool(_ACTION_VERBS.match(text[pos : pos + 60]))


def action_of(text: str, action_start: int, end: int) -> str:
    """A short paraphrase: the undertaking's verb phrase without the reporting words."""
    phrase = text[action_start:end].strip()
    phrase = re.sub(rf"^(?:(?:{_ADVERBS})\s+)+", "", phrase)
    phrase = re.sub(r"\s+", " ", phrase)
    return phrase[:1].upper() + phrase[1:] if phrase else phrase


_VISIT_MENTION = re.compile(
    r"\b(?P<who>his|her|[A-Z][\w\-]*[’']s)\s+(?:(?:upcoming|forthcoming|planned|next|official|state)\s+)*"
    r"visit\s+to\s+(?P<place>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)"
)


def visit_name_before(reader: PointReader, pos: int) -> str | None:
    """The visit a "fruitful visit" refers to: "<person>'s visit to <place>" written earlier in the point."""
    text = reader.text
    last = None
    # The visit is named close by: look back a few sentences, not through the whole point.
    window_start = max(reader.start, pos - 1500)
    for m in _VISIT_MENTION.finditer(text, window_start, pos):
        last = m
    if last is None:
        return None
    who = last.group("who")
    abs_pos = last.start()
    if who in ("his", "her"):
        pm = reader.speaker_at(abs_pos)
        if pm is None:
            return None
        person = reader.display_at(pm)
    else:
        person = re.sub(r"[’']s$", "", who)
    return f"{person}'s visit to {last.group('place')}"
