"""Finding undertakings in a Japanese point: the trigger grammar, the clause, and who undertakes it.

A Japanese readout puts the reporting predicate last, so the grammar reads backwards from it:
- joint triggers: 〜(していく)ことで一致／合意, 〜ことを(再|改めて)確認, 〜していく意思を確認,
  〜の緊密な連携を改めて確認 (a noun phrase read as an undertaking), 〜こととなりました;
- unilateral triggers (the speaker's): 〜したい旨述べ／発言／応答, 〜したいと述べ, 〜したいとの返答,
  〜していく旨述べ, 〜を約束する旨, 〜を楽しみにしている旨 (soft);
- the clause runs back from the trigger over comma-separated pieces until a piece that closes
  another statement: a topic or speaker (〜は, 〜から), 〜であり, 〜が (but), 〜とともに after a
  non-undertaking (認識を共有するとともに), 〜上で, 〜を踏まえ, 〜ところ, a sentence-final form;
- coordinated verbs (「すり合わせ,…連携し,…協力していく」, 「連携したい,…発出したい」) are one
  undertaking each; a て-form, a means (〜を通じ, 〜を捉え, 〜を含め), a purpose (〜ため, 〜べく,
  〜よう) or 〜つつ stays inside its clause; an 「〜後,」 at the head scopes over the whole chain;
- not undertakings: importance and necessity (〜が重要であることを確認, 〜する必要がある),
  norms (〜べき), prior undertakings cited (〜ことを確認してきている, 〜で一致したこと等を紹介),
  and working out the details of the undertaking just named (今後具体的に調整していく).
Demands (〜を求めた), welcomes (〜を歓迎), shared recognition (〜との認識を共有) have no trigger.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from tracker.deadlines import DeadlineSettings
from tracker.extraction.ja.dating import (
    MEETING_NOUNS,
    announced_event,
    deadline_for,
    find_anchor,
    find_date,
    is_act,
    request_anchor,
)
from tracker.extraction.ja.parties import (
    GROUPINGS,
    JOINT_WORDS,
    REFERENCE,
    JaParticipants,
    Person,
    find_parties,
)
from tracker.extraction.ja.text import shadow, tokens
from tracker.extraction.types import DeadlineSpec, ExtractedCommitment, Segment

# Where the undertaking ends, and whether the trigger is joint or the speaker's.
_JOINT = re.compile(
    r"(?:こと|の|(?<=[るくいた])(?:との)?(?:考え|方針|意向|方向))(?:で|について|につき)[,、]?"
    # (「…ことで双方の考えが一致」「…ことで両者の意見が一致」「…ことで話がまとまりました」.)
    r"(?:(?:双方|両者|両首脳|両外相|両大臣|三者|各国)(?:の(?:考え|意見))?)?(?:が|は|も)?[,、]?(?:意見が|考えが)?"
    r"(?:一致|合意|意見の一致|話がまとま)"
    # 「…次回の2+2を年内に開催することも確認しました」: も for を, after a first undertaking.
    r"|こと(?:等|など)?(?:を|も)(?:再度|改めて|再|互いに|相互に|共に)*(?:確認|再確認|約束|申し合わせ|決定|約し)"
    # The passive of the reporting verb: 「…連携していくことが確認されました」.
    r"|こと(?:等|など)?が(?:改めて|再度|再)?(?:確認|再確認|合意|決定)され"
    # Older pages write 旨 for こと: 「緊密に連携していく旨確認した」.
    r"|(?<=[るくいた])旨(?:を)?(?:改めて|再度)?(?:確認|再確認|一致|合意)"
    r"|意思を(?:改めて|再)?確認"
    # A policy or a resolve confirmed or shared together: 「…圧力を最大限まで高めていく方針を確認」,
    # 「…協力を更に発展させていくとの決意を共有」, 「…連携していく方針を共有」.
    r"|(?<=[るく])(?:との)?方針を(?:改めて|再度|再)?(?:確認|再確認|共有)"
    r"|(?<=[るく])(?:との)?決意を(?:改めて|再度)?(?:共有|確認|新たにし)"
    r"|こととな(?:り|っ)(?:まし)?た|こととし(?:まし)?た|ことにな(?:り|っ)(?:まし)?た"
    r"|ことを(?:固く|改めて)?誓(?:い|っ)"
    # Agreeing to an act (「…議論を進めることに同意しました」): the topic's undertaking, or both sides'
    # (「両大臣は…ことに同意」); 「…との見方に同意」「…に完全に同意する」 agree with a view and stay out.
    r"|(?<=[るう])ことに(?:も)?(?:改めて|全面的に)?同意し"
    # A plan announced for both: 「日露両国は,…協議していく予定です」.
    # (One side's plan said as its words is the speaker's: 「…来月訪日する予定である旨述べました」.)
    r"|(?<=[るくうつすむぶぐ])(?<!れる)予定(?:です|である|であり|となっている)(?!\s*(?:旨|と(?:の)?(?:述べ|発言)))"
)
_CONFIRMED_TAIL = re.compile(r"(?:等|など)?を(?:改めて|再度|再|引き続き)?確認$")
_NOUN_JOINT = re.compile(
    r"(?:の|な|た)(?:緊密な|更なる|一層の|引き続きの)?(?:連携|協力|意思疎通|連絡)(?:等|など)?を(?:改めて|再度|再|引き続き)?確認"
)
# An own act named as a noun and agreed on: 「日中韓サミットの早期開催で一致」「連携強化で一致」
# (「安保理決議の完全な履行で一致」 agrees on a principle others must keep, and stays out).
_NOUN_ACT_AGREED = re.compile(
    r"(?:開催|実施|訪問|訪日|再開|推進|強化|連携|協力|意思疎通|往来|交流|対話|協議|調整|締結|署名|立ち上げ|創設|設置|"
    r"深化|拡大|発展|前進|促進|緊密化|活性化|加速|妥結|"
    # The parties' own meeting or visit brought about: 「首脳の早期訪日の実現で一致」 (「自由で開かれた
    # インド太平洋の実現」 is a goal and stays out).
    r"(?:訪日|訪問|来日|会談|開催|往来|訪[米中韓英仏独豪印加露])の(?:早期)?実現)"
    r"(?:等|など)?(?:を目指すこと)?で(?:も|は)?(?:一致|合意)"
)
# An intention named by its act: 「早期の訪日の意向を示しました」「ポーランド訪問の意向を表明」.
_NOUN_INTENTION = re.compile(
    r"(?:訪日|訪問|来日|訪韓|訪中|訪米|開催|実施|協力|支援|参加|出席)の(?:意向|意思|考え)を"
    r"(?:改めて|重ねて)?(?:示し|示す|表明|伝え|述べ)"
)
# 「…継続していく考えである旨」 is read at 考え by the intention rule of _SPEECH below.
_VOLITION = (
    r"(?:たい|ていく|でいく|て行く|ていきたい|でいきたい|"
    r"(?<![るくいた])(?:つもりである|意向である|考えである))"
)
_SPEECH = re.compile(
    rf"{_VOLITION}(?=」?\s*(?:旨|と(?:の)?)(?:の)?(?:(?!立場|認識|見解|姿勢)[^。,、]){{0,8}}?(?:述べ|発言|応答|応じ|返答|表明|言及|回答|伝え|説明|強調|話し|語|考え|約束)|」?としまし|」?とした|」?としつつ)"
    r"|約束する(?=\s*旨)"
    # An intention stated as such: 「…支援を,日本が主導する考えを改めて強調しました」,
    # 「…強化していくとの決意を伝えました」, 「…取り組んでいく方針である旨述べ」, 「…協力する
    # 用意がある旨述べ」, 「…努力していく所存である」, 「…訪日したいとの意向が示されました」.
    r"|(?<=[るくいた])(?<!強い)(?<!高い)(?<!固い)(?=(?:との)?(?:考え|方針|意向|決意|つもり|意欲|姿勢|予定)(?:で(?:ある|あり|あること)|を(?:改めて|再度|重ねて)?"
    r"(?:表明|示し|示す|述べ|強調|伝え|説明)|が(?:示され|表明され|述べられ|伝えられ)))"
    r"|(?<=[るうつくぐすむぶぬ])(?=用意が(?:ある|あり)|所存(?:である|です|であり))"
    # The resolve named after the act: 「…支援を継続していくことへの強い意欲を示しました」,
    # 「…継続していく強い決意を表明しました」.
    r"|(?<=[るく])(?=(?:ことへの(?:強い|高い|固い)?|強い|高い|固い)(?:意欲|決意|意思|意向)(?:を|が)(?:改めて|重ねて)?"
    r"(?:示|表明|述べ|伝え))"
    # An act of cooperation in the plain form, said as the speaker's: 「日本として協力する旨述べ」
    # (「…を支持する旨述べ」 is a stance, not an act, and stays out).
    r"|を(?:大変|非常に|心から|とても)?(?:楽しみ|心待ち)にして(?:いる|おり|います)"
    r"|を(?:大変|非常に|心から|とても)?(?:楽しみ|心待ち)にしつつ"
    # The publisher's own statement in the polite form: 「日本は引き続きウクライナを支援していきます。」,
    # 「…連携していく考えです。」 (a bare 「…していく。」 after another's name is only flagged).
    r"|(?<=[てで]いく|てゆく)(?=\s*(?:考えです|方針です|所存です)(?:。|$))|(?<=[てで]いきます)(?=。|$)"
)
# A plain verb said as the speaker's (「日本として全面的に協力する旨述べ」「…全力を尽くす旨述べ」,
# 「支援を継続していくことを表明」) is an undertaking when the verb is an act; 「…に同意する旨」
# 「…を歓迎する旨」「…と考える旨」 state a view and are read by the classifier.
_PLAIN = re.compile(
    r"(?<=[るうつくぐすむぶぬ])(?=\s*旨(?:の)?(?:述べ|発言|表明|伝え|応じ|応答|回答))"
    r"|(?<=[るく])(?=ことを(?:改めて|重ねて)?(?:表明|伝え|述べ))"
)
# A promise made in the meeting, its object the undertaking: 「引き続きの支援を約束しました」.
_PROMISE = re.compile(r"を(?:改めて|重ねて|力強く)?(?:約束(?:し(?:た|まし|,|、)|いたし)|惜しまない)")
_JOINT_REPORT = re.compile(r"(?:確認|一致|合意)し(?:まし)?た")
_ALONG_WITH = re.compile(r"(?<=ていく|でいく)(?:とともに|と共に)(?=[,、])")
_SPEECH_VERB = re.compile(
    r"旨(?:の)?(?:述べ|発言|言及|表明|伝え|応答|応じ|返答|回答|説明)|と(?:の)?(?:述べ|発言)"
)
_VOLITION_PIECE = re.compile(rf"{_VOLITION}(?=\s*[,、])")
# After a joint trigger: a prior agreement cited (「確認してきている」「一致したこと等を紹介」).
# A trigger in its attributive form, before the noun it modifies, names a content, not what the
# parties undertook: 「北朝鮮が…行動をとること等を確認した成果文書を採択し」 (the document confirmed it),
# 「…で合意した内容」 (「一致した上で」「合意した後」 go on to the parties' own act).
_CITED_AFTER = re.compile(
    r"\s*(?:し)?(?:てきて|てきた|した(?:こと|と|旨)|したもの|している(?:こと|と))"
    r"|\s*した(?![上後際旨])(?=[\u4e00-\u9fff\u30a1-\u30fa])"
)
# Courtesy said in the volitional (「謝意を申し上げたい」): performed in the meeting, so protocol.
_PERFORMATIVE = re.compile(
    r"(?:謝意|祝意|敬意|弔意|お見舞い|感謝|お礼|哀悼|歓迎|お祝い)(?:の意|の言葉)?を(?:申し上げ|表し|表明し|伝え|伝達し|述べ)たい$"
    r"|(?:感謝|歓迎|(?:お礼|御礼|お祝い|お詫び|おわび)(?:を)?申し上げ)(?:し)?たい$"
)
# A contribution to the peace of the region or the world, made alone, is standing policy toward the
# world at large (a position), as "will continue to contribute to international peace" is in
# English: 「日本は…地域・国際社会の平和と安定にこれまで以上に積極的に貢献していく決意である」.
# Done with the other party (「日米が協力して…に貢献していく」) it stays an undertaking.
_WORLD_POLICY = re.compile(
    r"(?:国際社会|世界|地域|アジア太平洋|インド太平洋)(?:・(?:国際社会|世界|地域))*(?:全体)?の"
    r"(?:平和|安定|繁栄)[^,、。]{0,12}?に[^,、。]{0,16}?貢献(?:し)?(?:ていく|て行く|する|したい|していきたい)$"
    # A global issue taken up alone: 「核軍縮に積極的に取り組みたい」 (「…オーストラリアと協力して国際社会の
    # 議論を主導していきたい」 has its partner and stays).
    r"|^(?:[^,、。]{0,6}?は)?(?:核軍縮|軍縮・不拡散|核不拡散|不拡散|気候変動(?:問題|対策)?|地球規模(?:の)?課題)"
    r"(?:問題)?に(?:も)?(?:積極的に|引き続き|一層|しっかりと)?(?:取り組(?:み|んでいき|んでいく)|貢献し(?:ていき)?)(?:たい)?$"
)
_DONE_SO_FAR = re.compile(r"(?:これまでに|これまでの間に|既に|すでに)(?!以上)[^,、。]*$")
_WITH_PARTNER = re.compile(r"協力し|連携し|共に|と共同|手を携え|両国|双方|日[米英仏独豪印中韓加伊露]")
# Talk said in the volitional with no time of its own is the meeting's own talk: 「…をジョリー外相
# と更に前進させるべく議論したい」 at the start of a meeting (「今後も緊密に意見交換していきたい」
# goes on, and 「G7で議論を行いたい」 has its event: both stay undertakings).
_TALK_NOW = re.compile(r"(?:議論|意見交換|話し合|協議|話を|お話)(?:を行い|し|い)?たい$")
# A clause that is an importance, necessity or norm statement, not an undertaking.
_NOT_UNDERTAKING_END = re.compile(
    # (A principle upheld or a course opposed is a stance: 「法の支配に基づく国際秩序を堅持する」,
    # 「力による一方的な現状変更の試みに反対する」.)
    r"(?:を堅持|に(?:強く)?反対)(?:する|していく)$|"
    r"(?:重要|必要|不可欠|肝要|大切)(?:で(?:ある|あり)|だ|な)?$|必要が(?:ある|あり)$|べき(?:で(?:ある|あり)|だ)?$|"
    r"てはならない$|重要性$|必要性$"
    # Support for the other side's position is a stance however it is said (「…を支持する旨」 is
    # read so already): 「日本の立場を引き続き支持したい」「今後も支持していきたい」.
    r"|支持し(?:たい|ていきたい)$"
    # An expectation agreed on is not an undertaking: 「…混乱が早期に収束することを期待することで一致」,
    # 「…ことを期待する旨述べ」 (the list of not-commitments: 〜ことを期待しており, 〜への期待で一致).
    r"|(?:を|に)(?:強く|大いに)?期待(?:する|している|したい)$"
)
# A state or a past fact confirmed (「両国間の往来が回復していることを確認」「…が着実に進められて
# いることを確認」) is a view of how things are, not an undertaking.
# (「日加関係が過去最高の状態にあることを確認」: a state, with ある.)
_STATE_END = re.compile(
    r"(?:て|で)(?:いる|おり|きている|きた)$|(?<![いく])た$|(?:状態|状況|段階|水準)に(?:ある|あり)$"
    # What the parties are (「日本とオーストラリアが…「特別な戦略的パートナー」であることを確認」).
    r"|(?:で|だ)(?:ある|あった)$"
)
# A request of the other side or a demand on others, though said in the volitional or agreed:
# 「シン首相に訪日していただきたい」 (an invitation), 「ニュージーランドの協力を得たい」,
# 「北朝鮮に…遵守を強く求めていく」.
_NOT_OURS_END = re.compile(
    r"(?:て|で)(?:いただき|頂き|もらい|ほし|欲し)(?:たい|い)$"
    r"|(?:協力|理解|支持|支援|賛同|協力と理解|理解と協力)を(?:得|お願いし|頂き|いただき|賜り)たい$"
    r"|(?:求め|要求し|要請し)(?:る|ていく|ていきたい|たい)$"
    # A request in the humble form: 「関係者に指示願いたい」「御協力をお願いしたい」.
    r"|(?:お|御)?願い(?:し)?たい$"
    # An invitation extended in the meeting (「…の訪日を改めて招請し」) is not an undertaking.
    r"|(?:招請|招待)(?:し|する|したい)$"
)
_LIST_ITEM_END = re.compile(r"\s*こと(?:等|など)?(?:に加え(?:て)?|のほか|と併せ(?:て)?|とあわせ(?:て)?)?\s*$")
# Pieces that close another statement: the clause of an undertaking starts after them.
_STOP_END = re.compile(
    r"(?:は|から(?:は|も)?|より(?:は)?|につき|に対しては|"
    r"であり|であって|である|であるが|であること|だが|ところ|上で|一方(?:で)?|踏まえ|受け|ものの|"
    r"けれども|これに対し(?:て)?|それに対し(?:て)?|その上で|冒頭|最後に|なお|他方|"
    r"(?:認識|考え|理解|方針|立場)の(?:下|もと)|あり|おり|あったが|したが|であったが|"
    # The other side's answer follows: 「…楽しみにしている旨述べたのに対し,安倍総理より…」; words
    # said as a reason: 「日米同盟は…強固であるとして,」; an agreement cited: 「先日…一致したとおり,」.
    r"のに対し(?:て)?|(?:である|だ)として|(?:した|の)(?:とおり|通り)|"
    # A reason given first: 「…来年のASEAN議長国であるので,引き続き…協力していきたい」.
    r"(?:である|だ|な|ある|いる)ので|"
    # One reported sentence of a list: 「…心を痛めた旨,また,マレーシアは…支援する旨述べました」.
    r"(?<=[たるい])旨)$"
)
# Topics and occasions that open an undertaking's own words rather than close another statement:
# 「北朝鮮に関し,日米で連携して…発出したい」, 「訪日の際は,…話ができるのを楽しみにしている」,
# 「日本側の申し入れについては直ちに国防省に伝え」, 「…特別首脳会議では,…ビジョンを示したい」.
_TOPIC_JOIN = re.compile(
    rf"(?:について(?:は|も)?|に関し(?:ては|て)?|に関連し(?:て)?|の際(?:は|に(?:は)?)?|では|において(?:は|も)|(?:{MEETING_NOUNS})(?:\([^()]{{1,20}}\))?でも"
    # A viewpoint that motivates the act: 「…にとって重要であるとの観点から,準備を進めていく」.
    r"|(?:の|との)観点から(?:も)?)$"
)
# Bare connectives between two clauses of one chain (「〜での協力,また,〜についても協力を進めたい」).
_CONNECTIVE = re.compile(r"^(?:また|更に|さらに|加えて|併せて|あわせて)$")
# Reporting and stance predicates: a piece ending in one is a statement of its own.
_STATEMENT_END = re.compile(
    r"(?:強調|指摘|表明|歓迎|評価|説明|言及|確認|再確認|共有|要請|感謝|紹介|提起|報告|同意|支持|一致|合意|期待|"
    r"懸念|非難|抗議|祝意を表|謝意を表|敬意を表|弔意を表|謝意を述べ|祝意を述べ|述べ|求め|示し|伝達|意見交換を行|"
    r"議論を行|会談を行|協議を行|説明を行|意見交換し|議論し|協議し|"
    # Information traded in the meeting: 「…発射に関して情報交換を行うとともに,」 (「今後も緊密に
    # 情報交換を行うとともに」 and 情報共有 go on).
    r"(?<!今後も)(?<!引き続き)(?<!緊密に)情報交換(?:を行|し))(?:し|する|した|い|る|う)?(?:とともに|と共に|上で|つつ)?$"
    r"|旨述べ(?:る|た)?(?:とともに)?$"
    # Thanks, concern or condolence conveyed in the meeting: 「…支持への謝意,…人権状況への強い懸念を
    # 伝え,」 (「申し入れについては直ちに国防省に伝え」 conveys later, and stays an undertaking).
    r"|(?:謝意|祝意|懸念|弔意|哀悼の意|お見舞い|敬意|感謝|遺憾の意|反対)を(?:改めて|重ねて)?伝え(?:る|た)?$"
    # Courtesy said in the humble form: 「貴首相の就任を改めてお祝い申し上げる,」.
    r"|(?:お祝い|感謝|お礼|お見舞い|お悔やみ)(?:を)?申し上げ(?:る|ます|たい)?$"
    # Courtesy and statements done while saying something else (「就任に祝意を表しつつ,」), and
    # the other side's words reported in the passive (「祝意が示されるとともに,」).
    r"|(?:表し|示し|述べ|言及し|触れ|伝え)つつ$"
    r"|(?:示さ|述べら|表明さ|伝えら|表さ|寄せら)れ(?:る|た)?(?:とともに|と共に|上で)?$"
)
# A head that scopes over a coordinated chain: 「米朝首脳会談後,速やかに…を行い,…を行う」 is one.
# So does a date that opens the chain: 「2月10日に安倍総理が訪米し,日米首脳会談を行う」 is one
# undertaking on that date.
_SCOPING_HEAD = re.compile(
    r"[^,、]{1,40}後[,、]|(?:本年|来年|明年)?\d{1,2}月(?:\d{1,2}日|上旬|中旬|下旬|末)?(?:頃)?に(?!向け)[^,、]{1,30}[,、]"
)
# Verbs of means and manner (「〜を通じ,」「〜を捉え,」「〜を含め,」): the clause goes on after them.
_MEANS_VERBS = frozenset(
    {
        "通じ",
        "捉え",
        "含め",
        "沿い",
        "基づき",
        "活用し",
        "向け",
        "際し",
        "伴い",
        "引き続き",
        "生かし",
        "用い",
        "見据え",
        "加え",
        "対し",
        # 「北朝鮮に対する圧力強化を始め,」 (including): the clause goes on.
        "始め",
        "はじめ",
        # 「…の旗を掲げ,」 (under a banner), 「就任にあたり,」 (on the occasion of).
        "掲げ",
        "あたり",
        "当たり",
        # 「G7サミットに先立ち,」「国連総会に合わせ,」: a time tied to an event, not an act of its own.
        "先立ち",
        "合わせ",
    }
)
_ADVERB_PIECES = re.compile(
    r"(?:引き続き|今後|今後とも|今後も|速やかに|直ちに|改めて|共に|更に|さらに|一層|早急に)$"
)
# Working out the details of what was just agreed is part of it.
_FOLLOW_THROUGH = re.compile(r"(?:調整|詰め)(?:を行って|して|て)?(?:いく|いきたい)$")
_ITEM_MARK = re.compile(r"\s*(?:\((?:[ア-ンイロハニホヘト]|[一二三四五六七八九十]|\d{1,2})\)|[①-⑳])\s*")
_LEADING = re.compile(r"(?:(?:また|その上で|更に|さらに|加えて|なお|最後に|冒頭|お互いに|互いに)[,、]?\s*)+")
_REPLY = re.compile(r"(?:[-・•]\s*)?(?:\(\d+\)\s*)?(?:これに対し(?:て)?|それに対し(?:て)?|これを受け(?:て)?)")
_REQUEST = re.compile(r"要請|求め|依頼|呼びかけ")
_MARKER_PREFIX = re.compile(r"\s*(?:[-•・●○■]\s*)?(?:\(\d{1,2}\)|\d{1,2}(?:[.)]|\s)|[①-⑳])?\s*")


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    kind: str  # "stop", "split" or "join": how the piece ends (at its comma)


@dataclass(frozen=True)
class _Trigger:
    end: int  # where the undertaking's words end (the trigger's start)
    after: int  # the trigger's end
    joint: bool
    noun: bool = False
    looked_forward: bool = False
    promise: bool = False  # 「…を約束しました」: the object is the undertaking
    plain: bool = False  # 「…協力する旨述べ」: an undertaking only if its verb is an act


def find_commitments(
    text: str,
    participants: JaParticipants,
    segment: Segment,
    meeting_date: dt.date | None,
    settings: DeadlineSettings,
) -> list[ExtractedCommitment]:
    """The undertakings of one point, with their parties and deadlines."""
    s = shadow(text)
    result: list[ExtractedCommitment] = []
    sentences = _sentences(s, segment.start, segment.end)
    announced = False
    for index, (sent_start, sent_end) in enumerate(sentences):
        triggers = _triggers(s, sent_start, sent_end)
        if announced and not triggers:
            # 「安倍総理から以下の旨述べました。…日米同盟を更に確固たるものにしていきたい。」: the
            # sentences after a speech announced are the speaker's words, each on its own.
            final = re.search(rf"{_VOLITION}$", s[sent_start:sent_end].rstrip())
            if final:
                triggers = [_Trigger(sent_start + final.end(), sent_start + final.end(), joint=False)]
        announced = announced or bool(_ANNOUNCED.search(s, sent_start, sent_end))
        if not triggers:
            continue
        pieces = _pieces(s, sent_start, sent_end)
        in_sentence: list[ExtractedCommitment] = []
        seen: set[tuple[int, int]] = set()
        for trigger in triggers:
            clauses = _clauses(s, pieces, sent_start, trigger)
            if (
                len(clauses) > 1
                and not (trigger.looked_forward or trigger.promise)
                and re.search(r"(?<![いく])た$", s[clauses[-1][0] : clauses[-1][1]].rstrip())
            ):
                # A chain takes its tense from its last verb: 「…内外に示すことができ,大きな成果を
                # あげたことで一致した」 is all past, a result agreed on, not an undertaking.
                continue
            for clause_start, clause_end in clauses:
                start = _trim_start(s, clause_start, clause_end)
                # 「…調整を進めること,…協力を進めること等を確認」: each item without its こと.
                end = start + len(_LIST_ITEM_END.sub("", s[start:clause_end]))
                words = s[start:end].rstrip()
                if end - start < 2 or _NOT_UNDERTAKING_END.search(words) or _NOT_OURS_END.search(words):
                    continue
                if _STATE_END.search(words) and not (trigger.looked_forward or trigger.promise):
                    continue
                if _PERFORMATIVE.search(words) or (start, end) in seen:
                    continue
                if _WORLD_POLICY.search(words) and not _WITH_PARTNER.search(words):
                    continue
                if _DONE_SO_FAR.search(words) and not re.search(rf"{_VOLITION}$", words):
                    # 「これまでに約318万回のワクチンを供与し,9月下旬には…追加供与を行う予定であり」:
                    # what was done so far, in a chain with the plan, is background.
                    continue
                if (
                    _TALK_NOW.search(words)
                    # (「今後の日中関係について議論したい」: 今後 of the topic, not of the talk.)
                    and not re.search(r"今後(?!の)|引き続き|次回|[でにへ](?:も)?$", words)
                    and not find_anchor(s, start, end)
                ):
                    continue
                seen.add((start, end))
                if (
                    in_sentence
                    and _FOLLOW_THROUGH.search(words)
                    and "向け" not in words
                    and find_anchor(s, start, end) is None
                    and find_date(s, start, end, None, settings) is None
                ):
                    # 「…訪問を実現することで一致し,外交当局間で日程を調整していくこととなりました」:
                    # arranging what was just agreed is part of it (「…の早期開催に向けて調整を
                    # 行っていく」 arranges something of its own).
                    continue
                if _others_undertaking(s, participants, start, end):
                    continue
                if trigger.plain and not is_act(words):
                    continue
                parties = _parties(
                    s, participants, segment.start, sent_start, clause_start, end, trigger.joint
                )
                if not parties:
                    continue
                deadline = deadline_for(
                    text, s, start, end, meeting_date, settings, looked_forward=trigger.looked_forward
                )
                if trigger.looked_forward:
                    deadline = announced_event(text, s, sent_start, start, end, deadline)
                if deadline.type in ("ongoing", "none") and index > 0:
                    deadline = _answered_request(text, s, sentences[index - 1], sent_start, deadline)
                if deadline.type in ("ongoing", "none"):
                    deadline = _answered_in_sentence(text, s, sent_start, clause_start, deadline)
                if (trigger.looked_forward or trigger.promise) and clause_end == trigger.end:
                    # The quote says what was looked forward to and that it was: 「…を楽しみにしている」.
                    end = trigger.after
                in_sentence.append(
                    ExtractedCommitment(
                        quote=text[start:end],
                        start=start,
                        end=end,
                        action=action_words(s, start, end),
                        parties=parties,
                        deadline=deadline,
                    )
                )
        result.extend(in_sentence)
    return result


# A speech announced, its words in the sentences that follow: 「以下の旨述べました」「以下4点に言及しました」,
# 「次のとおり発言しました」.
_ANNOUNCED = re.compile(
    r"(?:以下|次)(?:の)?(?:旨|点|とおり|通り|[\d一二三四五六七八九十]+点)(?:を|に)?(?:改めて)?"
    r"(?:述べ|言及|発言|表明|伝え|説明)"
)


def states_no_undertaking(words: str) -> bool:
    """Whether a clause, as written up to its reporting verb, is one the grammar never takes as an
    undertaking: importance or a norm, a request or a demand, courtesy, the meeting's own talk, a
    state of affairs."""
    words = words.rstrip()
    return bool(
        _NOT_UNDERTAKING_END.search(words)
        or _NOT_OURS_END.search(words)
        or _PERFORMATIVE.search(words)
        or _STATE_END.search(words)
        or (_TALK_NOW.search(words) and not re.search(r"今後|引き続き|次回", words))
    )


def clause_begin(s: str, sent_start: int, sent_end: int, pos: int) -> int:
    """Where the clause that ends at pos begins: back over the sentence's pieces to the one that
    closes another statement or names the speaker (「シャンパーニュ外務大臣から,」)."""
    pieces = _pieces(s, sent_start, sent_end)
    trigger = _Trigger(pos, pos, joint=False)
    first = min(start for start, _ in _clauses(s, pieces, sent_start, trigger))
    return _trim_start(s, first, pos)


def sentences_of(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of s[start:end] as the grammar reads them (markers and closing 。 left out)."""
    return _sentences(s, start, end)


def speaker_parties(
    s: str, participants: JaParticipants, point_start: int, sent_start: int, pos: int
) -> list[str]:
    """Whose words s[pos:] are: the speaker named before pos in the sentence or, failing that,
    earlier in the point; else the publisher's side."""
    speaker = _speaker(s, participants, sent_start, pos)
    if not speaker and point_start < sent_start:
        speaker = _speaker(s, participants, point_start, sent_start)
    if speaker:
        return speaker
    return [participants.home] if participants.home else list(participants.parties[:1])


def _sentences(s: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for m in re.finditer(r"。|\n", s[start:end]):
        if m.group() == "\n" and re.search(r"[,、:]\s*$|その上で\s*$", s[cursor : start + m.start()]):
            # A line ending in a comma goes on below (「(イ)…実施していきたい,」「(ロ)…」「旨伝えた。」).
            continue
        spans.append((cursor, start + m.end()))
        cursor = start + m.end()
    spans.append((cursor, end))
    result = []
    for a, b in spans:
        a = a + len(_MARKER_PREFIX.match(s, a, b).group())  # type: ignore[union-attr]
        while b > a and s[b - 1] in "。\n \t":
            b -= 1
        if b > a:
            result.append((a, b))
    return result


def _triggers(s: str, start: int, end: int) -> list[_Trigger]:
    found = []
    for m in _JOINT.finditer(s, start, end):
        if _CITED_AFTER.match(s, m.end(), end):
            continue
        found.append(_Trigger(m.start(), m.end(), joint=True))
    for m in _NOUN_ACT_AGREED.finditer(s, start, end):
        if _CITED_AFTER.match(s, m.end(), end) or any(t.end >= m.start() and t.end <= m.end() for t in found):
            continue
        # The quote is the noun phrase with its act: 「日中韓サミットの早期開催」.
        act_end = m.start() + len(re.match(r"[^でを]+", m.group()).group())  # type: ignore[union-attr]
        found.append(_Trigger(act_end, m.end(), joint=True, noun=True))
    for m in _NOUN_JOINT.finditer(s, start, end):
        if _CITED_AFTER.match(s, m.end(), end):
            continue
        # The quote is the noun phrase: 「日韓,日韓米での緊密な連携」.
        noun_end = m.start() + len(_CONFIRMED_TAIL.sub("", m.group()))
        found.append(_Trigger(noun_end, m.end(), joint=True, noun=True))
    for m in _NOUN_INTENTION.finditer(s, start, end):
        if _CITED_AFTER.match(s, m.end(), end):
            continue
        act_end = m.start() + len(re.match(r"[^の]+", m.group()).group())  # type: ignore[union-attr]
        found.append(_Trigger(act_end, m.end(), joint=False, noun=True))
    for m in _PROMISE.finditer(s, start, end):
        verb = "約束" if "約束" in m.group() else "惜しまない"
        promised = m.start() + m.group().index(verb) + len(verb)
        found.append(_Trigger(m.start(), promised, joint=False, promise=True))
    for m in _PLAIN.finditer(s, start, end):
        if not any(t.end == m.end() for t in found):
            found.append(_Trigger(m.end(), m.end(), joint=False, plain=True))
    for m in _SPEECH.finditer(s, start, end):
        if m.group().startswith("を"):
            # 「再会の機会を楽しみにしている旨互いに述べました」: both look forward to it; the
            # words between the trigger and its speech verb say so, not a later clause
            # (「日本訪問を大変楽しみにしている,我々は100%共にある」 is one side's).
            speech = re.match(r"[^。,、]{0,12}?(?:述べ|表明|発言|応じ|伝え)", s[m.end() : end])
            both = bool(speech and re.search(r"互いに|双方|両者|共に", speech.group()))
            found.append(_Trigger(m.start(), m.end(), joint=both, looked_forward=True))
        else:
            found.append(_Trigger(m.end(), m.end(), joint=False))
    if _JOINT_REPORT.search(s, start, end):
        # 「…に向け,引き続き連携していくとともに,…協力していくことの重要性を確認しました」: the
        # undertaking coordinated with what was confirmed is confirmed with it.
        for m in _ALONG_WITH.finditer(s, start, end):
            if not any(t.end == m.start() for t in found):
                found.append(_Trigger(m.start(), m.end(), joint=True))
    speech = _SPEECH_VERB.search(s, start, end)
    if speech:
        # 「日米豪三カ国の協力関係について引き続き強化していきたい,特に…有意義であった旨言及
        # があった」: every volitional piece of one reported speech is the speaker's, even when
        # the speech ends on another kind of statement.
        for m in _VOLITION_PIECE.finditer(s, start, speech.start()):
            if not any(t.end == m.end() for t in found):
                found.append(_Trigger(m.end(), m.end(), joint=False))
    if speech:
        # 「6者協議で緊密に協力していきたく,拉致問題について決して忘れることはない旨発言」: the
        # joining form of 〜たい is a wish too, when no later wish of the same speech takes it in
        # (「訪米したく,日程を調整したい旨述べた」 is one clause, read at its last 〜たい).
        for m in _WISH_JOINING.finditer(s, start, end):
            said = _SPEECH_VERB.search(s, m.end(), end)
            if said is None or _LATER_WISH.search(s, m.end(), said.end()):
                continue
            if not any(t.end == m.end() for t in found):
                found.append(_Trigger(m.end(), m.end(), joint=False))
    found.sort(key=lambda t: t.end)
    return found


_LATER_WISH = re.compile(rf"{_VOLITION}(?=\s*(?:[,、]|」|旨|と))")
_WISH_JOINING = re.compile(r"(?<=[しきいちりびみぎえけせてねべめれ])たく(?=\s*[,、])")


def _pieces(s: str, start: int, end: int) -> list[_Piece]:
    """The sentence cut at its commas, each piece marked by how it ends."""
    sentence = s[start:end]
    toks = tokens(sentence)
    pieces = []
    cursor = 0
    first = 0  # the first morpheme of the piece being cut
    for m in re.finditer(r"[,、]", sentence):
        piece = sentence[cursor : m.start()].strip()
        while first < len(toks) and toks[first].start < cursor:
            first += 1
        last = first
        while last < len(toks) and toks[last].end <= m.start():
            last += 1
        pieces.append(_Piece(start + cursor, start + m.start(), _ending(piece, list(toks[first:last]))))
        cursor = m.end()
    pieces.append(_Piece(start + cursor, end, "end"))
    return pieces


def _ending(piece: str, toks: list) -> str:  # type: ignore[type-arg]
    """How a piece ends at its comma: "stop" (another statement), "split" (a coordinated
    undertaking ends here) or "join" (the clause goes on)."""
    if not piece or _CONNECTIVE.match(piece):
        return "join"
    if _STATEMENT_END.search(piece) or _NOT_UNDERTAKING_END.search(piece):
        return "stop"
    if re.search(r"こと(?:に加え|のほか|と併せ|とあわせ)$", piece):
        # 「…役割を果たしていくことに加え,…強化していくことを確認」: one undertaking each.
        return "split"
    if _TOPIC_JOIN.search(piece):
        return "join"
    if re.search(r"は[^,、]*機会(?:であり|となり|となる|であるとして)$", piece):
        # An occasion named for the act that follows: 「来月のG7サミットは…良い機会であり,」.
        return "join"
    if re.search(rf"{_VOLITION}$", piece):
        return "split"
    if re.search(r"(?:する|[てで]いく|行う)(?:とともに|と共に)$", piece):
        # (「…協力を進めていくとともに,」 as well as 「…していくとともに,」.)
        return "split"
    if _ADVERB_PIECES.search(piece):
        return "join"
    if _STOP_END.search(piece):
        return "stop"
    if re.search(r"(?:思って|感じて|考えて|喜んで|望んで)(?:いる|おります|います)$", piece):
        # A sentence of a reported speech ends in a comma: 「…入国したことを大変嬉しく思っている,
        # 同人が…支援したい」.
        return "stop"
    if not toks:
        return "join"
    last = toks[-1]
    topic = re.match(r"(?P<noun>[^,、はがの]{1,20})(?:は|が)(?!\s*(?:じめ|始め))", piece)
    if (
        topic
        and toks
        and toks[-1].pos == "動詞"
        and toks[-1].form.startswith("連用形")
        and not _is_actor(topic.group("noun"))
        # (「2月10日に安倍総理が訪米し,」: the actor after a time word is still an actor.)
        and not _is_actor(re.split(r"[にで]", topic.group("noun"))[-1])
    ):
        # 「国際社会が直面する課題は山積し,」: a clause about something else, with its own topic.
        return "stop"
    if re.search(r"[るくうつすぬむぶぐ]こと(?:等|など)?$", piece):
        # An item of a list of undertakings: 「…調整を進めること,…協力を進めること等を確認」.
        return "split"
    if re.fullmatch(r"[\u4e00-\u9fff]{1,4}(?:で|し|かれ|され|れ)", piece):
        # A bare word with no object in a list of attributes (「自由で,開かれ,安定し,繁栄した
        # インド太平洋」) modifies the noun ahead; it is not a verb of its own.
        return "join"
    if last.pos == "助動詞" and last.surface in ("させ", "せ") and last.form.startswith("連用形"):
        # A causative verb in its joining form (「両国関係を共に一層発展させ,」) ends a clause.
        return "split"
    if last.pos == "動詞" and last.form.startswith("連用形"):
        if last.surface in _MEANS_VERBS or (
            len(toks) > 1 and toks[-2].surface + last.surface in _MEANS_VERBS
        ):
            return "join"
        if last.lemma in ("有る", "居る", "ある", "いる", "おる", "居る"):
            return "stop"
        return "split"
    if last.pos == "名詞" and len(toks) > 1 and "を" in piece:
        previous = toks[-2]
        if (previous.surface == "に" and previous.pos == "助動詞") or previous.pos == "副詞":
            # 「今後の方針を綿密にすり合わせ,」: a verbal noun used as a verb.
            return "split"
    if (
        last.pos in ("形容詞",)
        or (
            last.pos == "助動詞"
            and last.form.startswith(("終止形", "連体形"))
            and last.surface in ("ない", "だ", "た")
        )
    ) and len(piece) > 8:
        # A short one (「自由で,開かれた,持続可能な海洋秩序」) is a modifier in a list, not a
        # sentence of its own.
        return "stop"
    if last.pos == "助詞" and last.surface == "が" and last.pos2 == "接続助詞":
        return "stop"
    return "join"


def _is_actor(noun: str) -> bool:
    """A party, a compound of parties, a person or a joint word: what can undertake something."""
    ref = REFERENCE.fullmatch(noun + "は")
    return bool(
        find_parties(noun)
        or (ref and (ref.group("joint") or ref.group("title")))
        or re.search(r"両国|双方|両者|三者|両首脳|両外相", noun)
    )


_PURPOSE_END = re.compile(r"(?:よう|ように)$")


def _clauses(s: str, pieces: list[_Piece], sent_start: int, trigger: _Trigger) -> list[tuple[int, int]]:
    """The undertakings a trigger closes: back over the pieces to a stop, cut at splits."""
    index = next((i for i, p in enumerate(pieces) if p.start <= trigger.end <= p.end), len(pieces) - 1)
    start = pieces[index].start
    cuts: list[int] = []
    i = index - 1
    while i >= 0:
        piece = pieces[i]
        if piece.kind == "stop":
            break
        if piece.kind == "split" and not (
            re.search(r"[^,、]が", s[piece.start : piece.end])
            and _PURPOSE_END.search(s[pieces[i + 1].start : pieces[i + 1].end].strip())
        ):
            # (「日本と欧州が米国と連携し,…を維持・強化できるよう,」: a purpose with its own
            # subject is one clause, no cut in it.)
            cuts.append(pieces[i + 1].start)
        start = piece.start
        i -= 1
    end = trigger.end
    if trigger.noun or _SCOPING_HEAD.match(s, start, end):
        return [(start, end)]
    bounds = [start, *sorted(cuts), end]
    clauses = []
    for a, b in itertools.pairwise(bounds):
        b_trim = b
        while b_trim > a and s[b_trim - 1] in ",、 ":
            b_trim -= 1
        along = re.search(r"(?<=[るくう])(?:とともに|と共に)$", s[a:b_trim])
        if along and b_trim < end:
            # 「…協力を進めていくとともに,」: the undertaking ends at its verb (as the clause the
            # 〜ていくとともに trigger gives, so the two are one).
            b_trim = a + along.start()
        clauses.append((a, b_trim))
    return clauses


def _trim_start(s: str, start: int, end: int) -> int:
    """Skip a leading connective and a topic or speaker that opens the clause (「両外相は安保理決議に…」)."""
    m = _ITEM_MARK.match(s, start, end)
    if m:
        # 「(ロ)人的交流では,…」: an item of a list inside one speech.
        start = m.end()
    m = _LEADING.match(s, start, end)
    if m:
        start = m.end()
    for ref in REFERENCE.finditer(s, start, min(end, start + 20)):
        if ref.start() != start or ref.group("case") not in (
            "は",
            "から",
            "からは",
            "からも",
            "より",
            "よりは",
            "よりも",
        ):
            break
        if ref.group("joint") or ref.group("title"):
            start = ref.end()
            while start < end and s[start] in ",、 ":
                start += 1
        break
    if start < end and s[start] in "「『" and not re.search(r"[」』]", s[start + 1 : end]):
        # 「…「日本はポーランドと共に歩んでいく」と述べました」: the words quoted, not the bracket
        # (「「特別なパートナー」として,…発展させていきたい」 quotes a term, and keeps it).
        start += 1
    return start


def _parties(
    s: str,
    participants: JaParticipants,
    point_start: int,
    sent_start: int,
    start: int,
    end: int,
    joint: bool,
) -> list[str]:
    """Who undertakes s[start:end]: the subject written in it, else the meeting's parties (joint)
    or the speaker's party (unilateral)."""
    subject = _subject_in(s, participants, start, end)
    if subject:
        return subject
    if joint:
        # 「岸田大臣は,…訪日を改めて招請し,今後適切な時期に調整していくこととした」: a decision
        # whose topic is one person is that person's side.
        topic = _topic_person(s, participants, sent_start, start)
        return topic or list(participants.parties)
    if re.search(r"(?:両国|双方|両者)(?!の|間の|間?関係)|(?<!と)共に", s[start:end]):
        # (「双方の都合の良い時期に訪米したく」: 双方 in the genitive names a time, not who acts;
        # 「両国間関係を…引き上げるべく」「両国間の協力を拡大していきたい」 name the object.)
        # 「両国の関係を共に発展させていきたい」 names both; 「同首相と共に仕事をしていく」 is the
        # speaker's, with the other as partner.
        return list(participants.parties)
    # The speaker may open the clause itself (「…述べたのに対し,安倍総理より双方の都合の良い時期に
    # 訪米したく」): read up to where the clause's own words begin.
    speaker = _speaker(s, participants, sent_start, _trim_start(s, start, end))
    if not speaker and point_start < sent_start:
        # The speaker of a sentence with none is the last one named in the point before it
        # (「ツォグトバータル大臣からは,…発言がありました。その上で,…発展させていきたい旨述べ」).
        speaker = _speaker(s, participants, point_start, sent_start)
    if speaker:
        return speaker
    return [participants.home] if participants.home else list(participants.parties[:1])


_SUBJECT_CASE = re.compile(
    r"\s*(?:両国|\d+か国|[二三四五]か国|3カ国|三カ国|間)?\s*(?:で(?!の)|が|は|として(?:も|は)?(?!の))"
)


# A relative clause's verb followed by the noun it modifies (「議長国を務めるCPTPP」).
# (Also the subject of a background clause: 「マレーシアがASEAN議長国を務めることも念頭に,」.)
_RELATIVE_AFTER = re.compile(
    # (Two subjects, each with its time: 「ドイツが来年、日本が再来年議長国を務めるG7」.)
    r"[^,、。]{0,20}?(?:[,、][^,、。]{1,12}?が[^,、。]{0,20}?)?(?:る|た)(?=[\u4e00-\u9fff\u30a0-\u30ffA-Za-z0-9「]|こと(?:も|を)(?:念頭に|踏まえ|見据え|受け))"
)


_WORLD_SUBJECT = re.compile(r"\s*(?:国際社会|各国|関係国|全ての国|すべての国|安保理|国連)(?:全体)?(?:が|は)")


def _others_undertaking(s: str, participants: JaParticipants, start: int, end: int) -> bool:
    """Whether s[start:end] opens on someone else as its subject: 「北朝鮮が…具体的な行動をとる」,
    「国際社会が一致して…対応していく」 (agreed of others: a position, not the parties' undertaking),
    with no party of the meeting named as a subject after it."""
    if _WORLD_SUBJECT.match(s, start, end):
        return True
    first = next(iter(find_parties(s, start, min(end, start + 12))), None)
    if first is None or first.start > start + 1 or set(first.parties) & set(participants.parties):
        return False
    case = _SUBJECT_CASE.match(s, first.end, end)
    if not case or not case.group().strip().endswith(("が", "は")):
        return False
    return not _subject_in(s, participants, first.end, end)


def _subject_in(s: str, participants: JaParticipants, start: int, end: int) -> list[str]:
    """Parties written as the subject (「日米,日米韓で」「日英が」「EUは」「カー外相は」)."""
    mentions = [m for m in find_parties(s, start, end) if not set(m.parties) <= GROUPINGS]
    parties: list[str] = []
    group: list[str] = []
    for mention in mentions:
        group.extend(p for p in mention.parties if p not in group)
        after = s[mention.end : end]
        joined = re.match(r"[,、と]|及び|並びに", after)
        if joined and find_parties(s, mention.end + joined.end(), min(end, mention.end + joined.end() + 8)):
            # 「日米,日米韓で」「日本とポーランドが」: a list of subjects; read on to its case marker.
            continue
        case = _SUBJECT_CASE.match(s, mention.end, end)
        if case and case.group().strip().endswith("が") and _RELATIVE_AFTER.match(s, case.end(), end):
            # 「本年カナダが議長国を務めるCPTPPを含め」: the subject of a relative clause.
            case = None
        if (
            case
            and case.group().strip().endswith("で")
            and len(group) < 2
            and not re.match(
                r"\s*(?:両国|\d+か国|[二三四五]か国|3カ国|三カ国|間)", s[mention.end : case.end()]
            )
        ):
            # 「ベトナムでまもなく選出される」: one country with で is a place; a subject with で
            # is a group (「日米で」「日米韓3か国で」「両国間で」).
            case = None
        if case and not s.startswith("での", case.end() - 1):
            parties = [p for p in group if p not in parties]
            break
        group = []
    if parties:
        if participants.parties and not set(parties) & set(participants.parties):
            return []
        return parties
    person = REFERENCE.match(s, start, end)
    if person and person.group("title") and person.group("case") in ("は", "が"):
        found = participants.person(person.group("name"), person.group("title"))
        if found and found.party:
            return [found.party]
    return []


def _speaker(s: str, participants: JaParticipants, sent_start: int, pos: int) -> list[str]:
    """The party of whoever says the words before pos (「河野大臣から,」「ポンペオ長官は」).

    Only a source or a topic names the speaker: 「ギラード首相が南三陸町を訪問された」 is the
    subject of an embedded clause, 「ハワード首相からの祝意」 a noun phrase.
    """
    last: list[str] = []
    source_end: int | None = None
    for m in REFERENCE.finditer(s, sent_start, pos):
        if m.group("case") in ("が", "も") or s.startswith("の", m.end()):
            continue
        if (
            m.group("case") == "は"
            and source_end is not None
            and not _SPEECH_VERB.search(s, source_end, m.start())
        ):
            # 「ブラウン首相より,福田総理は先般…講演をされたところであるが,…福田総理と協力して
            # いきたい旨表明」: a topic inside the words of a source named before it is talked
            # about, not a new speaker (one is, after the first speech ends: 「…旨述べ,X大臣は」).
            continue
        if m.group("case").startswith(("から", "より")):
            source_end = m.end()
        if m.group("joint"):
            last = list(participants.parties)
        elif m.group("title") is not None:
            person = participants.person(m.group("name"), m.group("title"))
            if m.group("name") == "同":
                # 「…シコルスキ大臣に対し,訪日を招請しました。これに対し,同大臣から」: 同 points back
                # to the person last named, whoever holds the same kind of title.
                person = _last_named(s, participants, m.start()) or person
            if person and person.party:
                last = [person.party]
        elif m.group("party") and (
            m.group("party") in ("先方", "当方", "我が方") or re.search(r"(?:側|政府)$", m.group("ref"))
        ):
            # 「先方から」「中国側から」 speak; 「インドは…パートナーであり」 is a topic in a speech.
            side = _side(participants, m.group("party"))
            if side:
                last = side
    return last


def _last_named(s: str, participants: JaParticipants, pos: int) -> Person | None:
    """The person whose name was written last before pos (within the few sentences before it)."""
    window = s[max(0, pos - 400) : pos]
    best: tuple[int, Person] | None = None
    for person in participants.people:
        parts = {person.name, *person.name.split("・")}
        if re.fullmatch(r"[\u4e00-\u9fff]{3,}", person.name):
            # 「上川陽子」 is written 「上川大臣」 in the body: the family name comes first.
            parts |= {person.name[:2], person.name[:3]}
        for part in parts:
            if len(part) < 2:
                continue
            at = window.rfind(part)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, person)
    return best[1] if best else None


def _topic_person(s: str, participants: JaParticipants, sent_start: int, pos: int) -> list[str]:
    """The party of a person who is the topic (「岸田大臣は,」) of the sentence up to pos, when the
    last topic or source before pos is that person and not the parties together."""
    last: list[str] = []
    for m in REFERENCE.finditer(s, sent_start, pos):
        if m.group("case") not in ("は", "から", "より", "からは", "よりは"):
            continue
        if m.group("joint"):
            last = []
        elif m.group("title") is not None and m.group("case") == "は":
            # (「岡田大臣とヘーグ外相は」: two people together are the parties, not one side.)
            person = participants.person(m.group("name"), m.group("title"))
            together = s[max(sent_start, m.start() - 1) : m.start()] == "と"
            last = [person.party] if person and person.party and not together else []
        elif m.group("title") is not None:
            last = []
    return last


def _side(participants: JaParticipants, word: str) -> list[str]:
    """The party a side is named by: 「先方」 (the other side), 「当方」「我が方」 (ours), 「中国側」."""
    others = [p for p in participants.parties if p != participants.home]
    if word == "先方":
        return others[:1] if len(others) == 1 else []
    if word in ("当方", "我が方", "我が国", "日本側"):
        return [participants.home] if participants.home else []
    found = [m for m in find_parties(word) if m.start == 0 and m.end == len(word) and len(m.parties) == 1]
    return [found[0].parties[0]] if found and found[0].parties[0] in participants.parties else []


def _answered_request(
    text: str, s: str, previous: tuple[int, int], sent_start: int, spec: DeadlineSpec
) -> DeadlineSpec:
    """A reply with no time of its own (「これに対して…協力を約束する旨」) takes the event of the
    request in the sentence before it (「第2回米朝首脳会談における…協力を要請しました」)."""
    if not _REPLY.match(s, sent_start) or not _REQUEST.search(s, previous[0], previous[1]):
        return spec
    anchor = request_anchor(s, previous[0], previous[1])
    if anchor is None:
        return spec
    return DeadlineSpec(
        type="event",
        text=text[anchor.start : anchor.end],
        event=anchor.name,
        relation=anchor.relation,
        offset_days=0 if anchor.relation != "after" else spec.offset_days,
    )


_REQUEST_MADE = re.compile(r"(?:要請|依頼|求め)が(?:あり|なされ|示され)(?:まし)?(?:た)?\s*[,、]")


def _answered_in_sentence(text: str, s: str, sent_start: int, start: int, spec: DeadlineSpec) -> DeadlineSpec:
    """A reply in the same sentence as the request it answers takes the request's event:
    「…明年のAPECの成功に向けた協力要請があり,菅総理大臣から両国で緊密に連携したい旨述べました」."""
    requests = list(_REQUEST_MADE.finditer(s, sent_start, start))
    request = requests[-1] if requests else None  # the last request before the reply
    if request is None:
        return spec
    anchor = request_anchor(s, sent_start, request.end())
    if anchor is None:
        return spec
    return DeadlineSpec(
        type="event",
        text=text[anchor.start : anchor.end],
        event=anchor.name,
        relation=anchor.relation,
        offset_days=0 if anchor.relation != "after" else spec.offset_days,
    )


def action_words(s: str, start: int, end: int) -> str:
    """The undertaking's own words, folded to NFKC forms (no English paraphrase is made)."""
    return re.sub(r"\s+", " ", s[start:end]).strip()


__all__ = ["JOINT_WORDS", "action_words", "find_commitments"]
