//! Symbol names as channels write them, and their canonical broker names.
//!
//! Three rules, most trusted first: an alias from the table (`GOLD` → `XAUUSD`, extendable from
//! config with [`Aliases::with_extra`]); a currency pair or a crypto pair (`EUR/USD`, `audnzd`,
//! `CTK / USDT`); and, only when neither is found, a bare ticker marked as one (`#xbt`, `$ONDO`,
//! `FET` in capitals next to a side word).

use std::sync::LazyLock;

use super::text::{FastMap, Heads, classes};

/// Built-in aliases, written as channels do; their keys are made with [`key_of`].
#[rustfmt::skip]
const BUILT_IN: &[(&str, &str)] = &[
    ("GOLD", "XAUUSD"), ("XAU", "XAUUSD"), ("XAUUSD", "XAUUSD"), ("ORO", "XAUUSD"),
    ("OURO", "XAUUSD"), ("ЗОЛОТО", "XAUUSD"), ("ЗОЛОТУ", "XAUUSD"), ("ЗОЛОТА", "XAUUSD"),
    ("ЗОЛОТОМ", "XAUUSD"), ("ЗОЛОТЕ", "XAUUSD"), ("ZŁOTA", "XAUUSD"), ("ZŁOTEM", "XAUUSD"),
    ("L'OR", "XAUUSD"), ("ALTINI", "XAUUSD"), ("ALTINDA", "XAUUSD"), ("ALTINDAKİ", "XAUUSD"), ("ALTINDAKI", "XAUUSD"), ("ALTINA", "XAUUSD"), ("ALTINDAN", "XAUUSD"), ("ALTININ", "XAUUSD"), ("ذهب", "XAUUSD"), ("الذهب", "XAUUSD"),
    ("طلا", "XAUUSD"), ("ZŁOTO", "XAUUSD"), ("ZŁOCIE", "XAUUSD"), ("ZŁOTU", "XAUUSD"), ("ALTIN", "XAUUSD"), ("ALTıN", "XAUUSD"),
    ("SILVER", "XAGUSD"), ("XAG", "XAGUSD"), ("XAGUSD", "XAGUSD"), ("PLATA", "XAGUSD"),
    ("ARGENTO", "XAGUSD"), ("СЕРЕБРО", "XAGUSD"), ("فضة", "XAGUSD"), ("نقره", "XAGUSD"),
    ("SILBER", "XAGUSD"), ("AUR", "XAUUSD"), ("AURUL", "XAUUSD"), ("GOUD", "XAUUSD"),
    ("זהב", "XAUUSD"), ("הזהב", "XAUUSD"), ("בזהב", "XAUUSD"), ("לזהב", "XAUUSD"),
    ("נפט", "USOIL"), ("הנפט", "USOIL"), ("נאסדק", "NAS100"), ("הנאסדק", "NAS100"),
    ("דאו", "US30"), ("הדאו", "US30"), ("ביטקוין", "BTCUSD"), ("SILWER", "XAGUSD"),
    // Lithuanian gold and silver, in their cases.
    ("AUKSAS", "XAUUSD"), ("AUKSO", "XAUUSD"), ("AUKSUI", "XAUUSD"), ("AUKSĄ", "XAUUSD"),
    ("AUKSE", "XAUUSD"), ("SIDABRAS", "XAGUSD"),
    ("OLIE", "USOIL"), ("IGOLIDE", "XAUUSD"), ("ISILIVA", "XAGUSD"), ("GORIDHE", "XAUUSD"),
    ("NDARAMA", "XAUUSD"), ("SIRIVHA", "XAGUSD"), ("தங்கம்", "XAUUSD"), ("THANGAM", "XAUUSD"),
    ("ZINARIYA", "XAUUSD"), ("ZINARE", "XAUUSD"), ("WÚRÀ", "XAUUSD"), ("WURA", "XAUUSD"),
    ("ወርቅ", "XAUUSD"), ("የወርቅ", "XAUUSD"), ("ጎልድ", "XAUUSD"), ("ቢትኮይን", "BTCUSD"),
    ("DAHAB", "XAUUSD"), ("DAHABKA", "XAUUSD"), ("SHIDAAL", "USOIL"), ("SHIDAALKA", "USOIL"),
    ("सुनको", "XAUUSD"), ("රන්", "XAUUSD"), ("රත්තරන්", "XAUUSD"), ("RATHTHARAN", "XAUUSD"),
    ("ගෝල්ඩ්", "XAUUSD"), ("ရွှေ", "XAUUSD"), ("មាស", "XAUUSD"), ("АЛТ", "XAUUSD"),
    ("АЛТНЫ", "XAUUSD"), ("БИТКОИНУ", "BTCUSD"), ("БИТКОИНА", "BTCUSD"), ("БИТКОИНОМ", "BTCUSD"),
    ("सोनं", "XAUUSD"), ("સોનું", "XAUUSD"), ("ਸੋਨਾ", "XAUUSD"), ("బంగారం", "XAUUSD"),
    ("BANGARAM", "XAUUSD"), ("സ്വർണം", "XAUUSD"), ("SWARNAM", "XAUUSD"), ("क्रूड", "USOIL"),
    ("ક્રૂડ", "USOIL"), ("ਕਰੂਡ", "USOIL"), ("క్రూడ్", "USOIL"), ("ക്രൂഡ്", "USOIL"),
    ("ગોલ્ડ", "XAUUSD"), ("ਗੋਲਡ", "XAUUSD"), ("గోల్డ్", "XAUUSD"), ("ഗോൾഡ്", "XAUUSD"),
    ("EMAS", "XAUUSD"), ("VÀNG", "XAUUSD"), ("DHAHABU", "XAUUSD"), ("GINTO", "XAUUSD"),
    ("SONA", "XAUUSD"), ("ZILVER", "XAGUSD"), ("ARGINT", "XAGUSD"),
    ("PERAK", "XAGUSD"), ("СРІБЛО", "XAGUSD"), ("PRATA", "XAGUSD"),
    ("ทองคำ", "XAUUSD"), ("ทอง", "XAUUSD"), ("黄金", "XAUUSD"), ("黃金", "XAUUSD"),
    ("现货黄金", "XAUUSD"), ("ゴールド", "XAUUSD"), ("금", "XAUUSD"), ("골드", "XAUUSD"),
    // Korean names of the instruments ("나스닥 매수", "비트 롱", "도지 절반 익절").
    ("나스닥", "NAS100"), ("크루드오일", "USOIL"), ("크루드", "USOIL"), ("항셍", "HK50"),
    ("달러엔", "USDJPY"), ("유로달러", "EURUSD"), ("파운드달러", "GBPUSD"), ("호주달러", "AUDUSD"),
    ("비트", "BTC"), ("비트코인", "BTC"), ("이더", "ETH"), ("이더리움", "ETH"), ("리플", "XRP"),
    ("도지", "DOGE"), ("솔라나", "SOL"), ("온도", "ONDO"),
    ("白银", "XAGUSD"), ("白銀", "XAGUSD"), ("シルバー", "XAGUSD"),
    ("原油", "USOIL"), ("比特币", "BTCUSD"), ("比特幣", "BTCUSD"), ("ビットコイン", "BTCUSD"),
    ("以太坊", "ETHUSD"), ("ドル円", "USDJPY"), ("ユーロドル", "EURUSD"), ("ポンド円", "GBPJPY"),
    ("ユーロ円", "EURJPY"), ("ポンドドル", "GBPUSD"), ("豪ドル円", "AUDJPY"), ("日経", "JP225"),
    ("ナスダック", "NAS100"), ("欧美", "EURUSD"), ("镑美", "GBPUSD"), ("美日", "USDJPY"),
    ("纳指", "NAS100"), ("道指", "US30"), ("标普", "US500"), ("گولڈ", "XAUUSD"),
    ("سونا", "XAUUSD"), ("सोना", "XAUUSD"), ("सोने", "XAUUSD"), ("गोल्ड", "XAUUSD"),
    // Pairs said in words ("euro dollar", "یورو دلار"): the two words join into one key.
    ("EURODOLLAR", "EURUSD"), ("POUNDDOLLAR", "GBPUSD"), ("DOLLARYEN", "USDJPY"),
    ("EUROYEN", "EURJPY"), ("POUNDYEN", "GBPJPY"), ("AUSSIEDOLLAR", "AUDUSD"),
    ("AUSSIEYEN", "AUDJPY"), ("KIWIDOLLAR", "NZDUSD"), ("EUROPOUND", "EURGBP"),
    ("DOLLARCAD", "USDCAD"), ("DOLLARSWISS", "USDCHF"), ("DOLLARFRANC", "USDCHF"),
    ("یورودلار", "EURUSD"), ("پونددلار", "GBPUSD"), ("دلارین", "USDJPY"), ("یوروین", "EURJPY"),
    ("پوندین", "GBPJPY"), ("يورودولار", "EURUSD"), ("اليورودولار", "EURUSD"),
    ("باونددولار", "GBPUSD"), ("الباونددولار", "GBPUSD"), ("دولارين", "USDJPY"),
    ("الدولارين", "USDJPY"),
    // A currency alone names its pair with the dollar ("پوند رو ببندید": close the pound).
    ("پوند", "GBPUSD"), ("ین", "USDJPY"), ("یورو", "EURUSD"), ("داوجونز", "US30"),
    // Persian's ezafe written onto the name ("پوزیشن طلای خودم": my gold position).
    ("طلای", "XAUUSD"), ("طلاي", "XAUUSD"), ("پوندی", "GBPUSD"), ("طلامو", "XAUUSD"),
    ("طلاتو", "XAUUSD"), ("طلاشو", "XAUUSD"),
    // A bare crypto ticker stays as written (the broker map finds `BTCUSD` for `BTC`).
    ("BTC", "BTC"), ("ETH", "ETH"), ("BTCUSD", "BTCUSD"), ("BITCOIN", "BTCUSD"), ("XBTUSD", "BTCUSD"),
    ("BTCUSDT", "BTCUSDT"), ("БИТКОИН", "BTCUSD"), ("БИТКОЙН", "BTCUSD"), ("بیتکوین", "BTCUSD"),
    ("بيتكوين", "BTCUSD"), ("ETHUSD", "ETHUSD"), ("ETHEREUM", "ETHUSD"),
    ("ETHUSDT", "ETHUSDT"),
    // Russian crypto traders' slang, in its cases ("по битку", "лонг по эфиру").
    ("БИТОК", "BTC"), ("БИТКА", "BTC"), ("БИТКУ", "BTC"), ("БИТКОМ", "BTC"), ("БИТКЕ", "BTC"),
    ("ЭФИР", "ETH"), ("ЭФИРА", "ETH"), ("ЭФИРУ", "ETH"), ("ЭФИРОМ", "ETH"), ("ЭФИРЕ", "ETH"),
    ("الداو", "US30"), ("داو", "US30"), ("الباوند ين", "GBPJPY"), ("باوند ين", "GBPJPY"), ("ناسداك", "NAS100"), ("الناسداك", "NAS100"), ("نزدك", "NAS100"), ("طلام", "XAUUSD"),
    ("大饼", "BTC"),
    ("ZLOTO", "XAUUSD"), ("ZLOCIE", "XAUUSD"), ("ZLOTA", "XAUUSD"), ("ZLATĚ", "XAUUSD"),
    ("XRYSO", "XAUUSD"), ("XRYSOS", "XAUUSD"), ("XRYSOU", "XAUUSD"), ("二饼", "ETH"), ("姨太", "ETH"),
    ("US30", "US30"), ("DJ30", "US30"), ("DJIA", "US30"), ("DOW", "US30"),
    ("DOWJONES", "US30"), ("WALLSTREET", "US30"), ("US30CASH", "US30"),
    ("US100", "NAS100"), ("NAS100", "NAS100"), ("NASDAQ", "NAS100"), ("NASDAQ100", "NAS100"),
    ("NAS", "NAS100"), ("USTEC", "NAS100"), ("USTECH", "NAS100"), ("USTECH100", "NAS100"),
    ("NDX", "NAS100"),
    ("US500", "US500"), ("SPX", "US500"), ("SPX500", "US500"), ("SP500", "US500"),
    ("GER40", "GER40"), ("DE40", "GER40"), ("DAX", "GER40"), ("DAX40", "GER40"),
    ("GER30", "GER30"), ("UK100", "UK100"), ("FTSE", "UK100"), ("FTSE100", "UK100"),
    ("FTSEMIB", "IT40"), ("IT40", "IT40"), ("ITA40", "IT40"), ("ESP35", "ESP35"), ("SPA35", "ESP35"),
    ("IBEX", "ESP35"), ("IBEX35", "ESP35"), ("FRA40", "FRA40"), ("CAC", "FRA40"), ("CAC40", "FRA40"),
    ("دهب", "XAUUSD"), ("الدهب", "XAUUSD"), ("سونا", "XAUUSD"), ("БРЕНТ", "UKOIL"),
    ("ΧΡΥΣΟ", "XAUUSD"), ("ΧΡΥΣΌ", "XAUUSD"), ("ΧΡΥΣΟΥ", "XAUUSD"), ("গোল্ড", "XAUUSD"),
    ("গোল্ডের", "XAUUSD"), ("गोल्ड", "XAUUSD"),
    ("JP225", "JP225"), ("NIKKEI", "JP225"), ("JPN225", "JP225"), ("NI225", "JP225"),
    ("AUS200", "AUS200"), ("ASX200", "AUS200"), ("AU200", "AUS200"), ("ASX", "AUS200"),
    ("HK50", "HK50"), ("HSI", "HK50"), ("HANGSENG", "HK50"), ("CHINA50", "CHINA50"),
    ("CN50", "CHINA50"), ("EU50", "EU50"), ("STOXX50", "EU50"), ("EUROSTOXX", "EU50"),
    ("EUSTX50", "EU50"), ("SWI20", "SWI20"), ("US2000", "US2000"), ("RUSSELL", "US2000"),
    ("RUSSELL2000", "US2000"), ("DXY", "DXY"), ("USDX", "DXY"), ("NQ", "NAS100"),
    ("MNQ", "NAS100"), ("GULD", "XAUUSD"), ("GULL", "XAUUSD"), ("GULDET", "XAUUSD"), ("GULLET", "XAUUSD"), ("GUMUS", "XAGUSD"),
    // Gold, silver and oil in Bulgarian, Serbo-Croatian, Slovak, Hungarian, Georgian, Uzbek,
    // Azerbaijani, Kazakh and Romanian.
    ("ЗЛАТО", "XAUUSD"), ("ЗЛАТОТО", "XAUUSD"), ("ЗЛАТА", "XAUUSD"), ("ЗЛАТУ", "XAUUSD"),
    ("ЗЛАТОМ", "XAUUSD"), ("ЗОЛОТІ", "XAUUSD"), ("СРЕБРО", "XAGUSD"), ("СЕРЕБРУ", "XAGUSD"), ("СЕРЕБРА", "XAGUSD"), ("СРЕБРОТО", "XAGUSD"),
    ("СРЕБРА", "XAGUSD"), ("СРІБЛА", "XAGUSD"), ("СРІБЛУ", "XAGUSD"), ("ПЕТРОЛ", "USOIL"),
    ("ПЕТРОЛА", "USOIL"), ("НЕФТ", "USOIL"), ("НЕФТТА", "USOIL"), ("НАФТА", "USOIL"),
    ("НАФТЕ", "USOIL"), ("НАФТУ", "USOIL"), ("НАФТИ", "USOIL"), ("ZLATU", "XAUUSD"),
    ("ZLATOM", "XAUUSD"), ("ZLATEM", "XAUUSD"), ("ZLATE", "XAUUSD"), ("SREBRU", "XAGUSD"),
    ("STRIEBRO", "XAGUSD"), ("STRIEBRA", "XAGUSD"), ("STRIEBRE", "XAGUSD"), ("STŘÍBRA", "XAGUSD"),
    ("STRIBRO", "XAGUSD"), ("STRIBRA", "XAGUSD"), ("NAFTE", "USOIL"), ("NAFTU", "USOIL"),
    ("ARANY", "XAUUSD"), ("ARANYAT", "XAUUSD"), ("ARANYON", "XAUUSD"), ("ARANYBAN", "XAUUSD"),
    ("ARANYRA", "XAUUSD"), ("ARANYNAK", "XAUUSD"), ("EZÜST", "XAGUSD"), ("EZUST", "XAGUSD"),
    ("EZÜSTÖT", "XAGUSD"), ("EZUSTOT", "XAGUSD"), ("OLAJ", "USOIL"), ("OLAJAT", "USOIL"),
    ("KŐOLAJ", "USOIL"), ("KOOLAJ", "USOIL"), ("ოქრო", "XAUUSD"), ("ოქროს", "XAUUSD"),
    ("ოქროზე", "XAUUSD"), ("ՈՍԿԻ", "XAUUSD"), ("زێڕ", "XAUUSD"), ("ТИЛЛО", "XAUUSD"), ("ТИЛЛОРО", "XAUUSD"), ("ZÊR", "XAUUSD"), ("ZÊRÊ", "XAUUSD"), ("ՈՍԿՈՒ", "XAUUSD"), ("ՈՍԿԻՆ", "XAUUSD"),
    ("ՈՍԿՈՒՄ", "XAUUSD"), ("ՈՍԿԻՆԵՐԸ", "XAUUSD"), ("ოქრომ", "XAUUSD"), ("გოლდი", "XAUUSD"), ("OQRO", "XAUUSD"),
    ("OKRO", "XAUUSD"), ("OQROS", "XAUUSD"), ("OQROZE", "XAUUSD"), ("ვერცხლი", "XAGUSD"),
    ("ვერცხლის", "XAGUSD"), ("ვერცხლზე", "XAGUSD"), ("VERCXLI", "XAGUSD"), ("VERCKHLI", "XAGUSD"),
    ("ნავთობი", "USOIL"), ("ნავთობის", "USOIL"), ("ნავთობზე", "USOIL"), ("NAVTOBI", "USOIL"),
    ("NAVTOBZE", "USOIL"), ("OLTIN", "XAUUSD"), ("OLTINNI", "XAUUSD"), ("OLTINDA", "XAUUSD"),
    ("OLTINGA", "XAUUSD"), ("ОЛТИН", "XAUUSD"), ("ОЛТИННИ", "XAUUSD"), ("ОЛТИНДА", "XAUUSD"),
    ("KUMUSH", "XAGUSD"), ("KUMUSHNI", "XAGUSD"), ("КУМУШ", "XAGUSD"), ("QIZIL", "XAUUSD"),
    ("QIZILI", "XAUUSD"), ("QIZILDA", "XAUUSD"), ("QIZILA", "XAUUSD"), ("АЛТЫНҒА", "XAUUSD"),
    ("АЛТЫНДА", "XAUUSD"), ("КҮМІС", "XAGUSD"), ("КҮМІСТІ", "XAGUSD"), ("МҰНАЙ", "USOIL"),
    ("МҰНАЙДЫ", "USOIL"), ("AURULUI", "XAUUSD"), ("ARGINTUL", "XAGUSD"), ("ARGINTULUI", "XAGUSD"),
    ("PETROLUL", "USOIL"), ("PETROLULUI", "USOIL"),
    ("LÒ", "XAUUSD"), ("ARI", "XAUUSD"), ("ARIT", "XAUUSD"), ("ARIN", "XAUUSD"), ("GOLIDE", "XAUUSD"), ("XNGUSD", "XNGUSD"), ("NATGAS", "NATGAS"), ("USOIL", "USOIL"), ("WTI", "USOIL"), ("OIL", "USOIL"), ("CRUDE", "USOIL"),
    ("UKOIL", "UKOIL"), ("BRENT", "UKOIL"), ("PETROL", "USOIL"), ("PETRÓLEO", "USOIL"),
    ("PETROLEO", "USOIL"), ("CRUDO", "USOIL"), ("GREGGIO", "USOIL"), ("PETROLIO", "USOIL"), ("НЕФТЬ", "USOIL"), ("НЕФТИ", "USOIL"),
    ("ЕВРО", "EURUSD"), ("يورو", "EURUSD"), ("اليورو", "EURUSD"), ("GÜMÜŞ", "XAGUSD"),
    ("GÜMÜŞTE", "XAGUSD"), ("GÜMÜŞÜ", "XAGUSD"),
    ("ΧΡΥΣΟΣ", "XAUUSD"), ("ΧΡΥΣΌΣ", "XAUUSD"), ("ZLATO", "XAUUSD"), ("АЛТЫН", "XAUUSD"), ("АЛТЫНДЫ", "XAUUSD"), ("ZLATA", "XAUUSD"), ("ZLATĚ", "XAUUSD"),
    ("STŘÍBRO", "XAGUSD"), ("SREBRO", "XAGUSD"), ("SREBRA", "XAGUSD"), ("نفط", "USOIL"), ("النفط", "USOIL"), ("نفت", "USOIL"),
    // Traders' nicknames for the majors: a follow-up that names one must not lose it.
    ("CABLE", "GBPUSD"), ("FIBER", "EURUSD"), ("FIBRE", "EURUSD"), ("AUSSIE", "AUDUSD"),
    ("LOONIE", "USDCAD"), ("KIWI", "NZDUSD"), ("SWISSY", "USDCHF"), ("GOPHER", "USDJPY"),
    ("GUPPY", "GBPJPY"), ("BEAST", "GBPJPY"),
];

/// The built-in symbol names, as written.
pub(crate) fn built_in_names() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(name, _)| *name)
}

/// Where a symbol's price can plausibly be, wide enough for years of moves: a number outside it is
/// no price of that symbol (a shorthand, dot thousands, or something else).
#[rustfmt::skip]
const PRICE_RANGES: &[(&str, f64, f64)] = &[
    ("XAUUSD", 500.0, 20_000.0), ("XAGUSD", 5.0, 500.0),
    ("BTC", 1_000.0, 2_000_000.0), ("BTCUSD", 1_000.0, 2_000_000.0),
    ("BTCUSDT", 1_000.0, 2_000_000.0), ("ETH", 50.0, 100_000.0), ("ETHUSD", 50.0, 100_000.0),
    ("ETHUSDT", 50.0, 100_000.0),
    ("US30", 5_000.0, 200_000.0), ("NAS100", 2_000.0, 200_000.0), ("US500", 500.0, 50_000.0),
    ("GER40", 2_000.0, 100_000.0), ("GER30", 2_000.0, 100_000.0), ("UK100", 1_000.0, 50_000.0),
    ("JP225", 5_000.0, 200_000.0), ("USOIL", 5.0, 500.0), ("UKOIL", 5.0, 500.0),
    ("XNGUSD", 0.5, 50.0), ("NATGAS", 0.5, 50.0),
    ("WIN", 20_000.0, 1_000_000.0), ("WDO", 1_000.0, 20_000.0),
    ("ESP35", 3_000.0, 60_000.0), ("IT40", 8_000.0, 150_000.0), ("FRA40", 2_000.0, 30_000.0),
];

/// The plausible price range of a canonical symbol, when it is known: the table above, and
/// currency pairs (JPY, HUF and similar quotes in the tens to hundreds, the rest near 1).
pub(crate) fn price_range(canonical: &str) -> Option<(f64, f64)> {
    // A B3 contract with its expiry ("WINZ25", "WDOF26") trades where its series does.
    let series = match canonical.as_bytes() {
        [b'W', b'I' | b'D', b'N' | b'O', m, y1, y2]
            if m.is_ascii_uppercase() && y1.is_ascii_digit() && y2.is_ascii_digit() =>
        {
            &canonical[..3]
        }
        _ => canonical,
    };
    if let Some(&(_, lo, hi)) = PRICE_RANGES.iter().find(|(s, _, _)| *s == series) {
        return Some((lo, hi));
    }
    if !is_currency_pair(canonical) {
        return None;
    }
    let mut buf = [0u8; 6];
    buf.copy_from_slice(canonical.as_bytes());
    buf.make_ascii_lowercase();
    let key = std::str::from_utf8(&buf).ok()?;
    let big = |c: &str| {
        matches!(
            c,
            "jpy" | "huf" | "czk" | "zar" | "mxn" | "nok" | "sek" | "dkk" | "hkd" | "cnh" | "try"
        )
    };
    Some(match (big(&key[..3]), big(&key[3..])) {
        (false, true) => (2.0, 1_000.0),
        (true, false) => (0.0005, 1.0),
        (true, true) => (0.005, 200.0),
        (false, false) => (0.2, 6.0),
    })
}

/// A canonical name that is a currency pair (`EURUSD`, not `XAUUSD`).
pub(crate) fn is_currency_pair(canonical: &str) -> bool {
    let b = canonical.as_bytes();
    if b.len() != 6 || !b.is_ascii() {
        return false;
    }
    let mut buf = [0u8; 6];
    buf.copy_from_slice(b);
    buf.make_ascii_lowercase();
    match std::str::from_utf8(&buf) {
        Ok(key) => key[..3] != key[3..] && is_currency(&key[..3]) && is_currency(&key[3..]),
        Err(_) => false,
    }
}

/// In key form (lower case), as the lexer gives words.
const CURRENCIES: &[&str] = &[
    "eur", "usd", "gbp", "jpy", "chf", "aud", "nzd", "cad", "sgd", "hkd", "nok", "sek", "zar",
    "mxn", "try", "pln", "cnh", "dkk", "huf", "czk", "brl", "ils", "inr", "thb", "krw",
];

const CRYPTO_QUOTES: &[&str] = &["usdt", "usdc", "busd", "fdusd", "btc", "eth", "usd"];

/// The alias table: built-in names plus any a config adds.
#[derive(Debug, Clone)]
pub struct Aliases {
    map: FastMap<String, String>,
    heads: Heads,
    /// The longest key, in bytes: two words whose keys are longer together are no alias.
    longest: usize,
}

/// The coins most traded on the futures exchanges whose name is no word of a language the parser
/// reads: each is its own symbol, named bare in any case ("move sl to 0.1545 on doge"). (Those
/// whose name is a word somewhere — SOL, LINK, NEAR — are coins only in capitals: see the lexer.)
pub(crate) const COINS: &[&str] = &[
    "DOGE", "XRP", "AVAX", "SHIB", "PEPE", "1000PEPE", "BNB", "LTC", "TRX", "INJ", "ARB", "WIF",
    "FET", "ENA", "JUP", "WLD", "AAVE", "MATIC", "HBAR", "ICP", "IMX", "FLOKI", "BONK", "XLM",
    "ORDI", "JTO", "PYTH", "STRK", "RNDR", "ONDO", "BCH", "LDO", "CRV", "STX", "KAS",
];

static BUILT_IN_ALIASES: LazyLock<Aliases> = LazyLock::new(|| {
    Aliases::new(
        BUILT_IN
            .iter()
            .map(|(k, v)| (key_of(k), v.to_string()))
            .chain(COINS.iter().map(|c| (key_of(c), c.to_string())))
            .collect(),
    )
});

impl Aliases {
    fn new(map: FastMap<String, String>) -> Aliases {
        let longest = map.keys().map(String::len).max().unwrap_or(0);
        let heads = Heads::new(map.keys().map(String::as_str));
        Aliases {
            map,
            heads,
            longest,
        }
    }

    /// The built-in table, built once.
    pub fn built_in() -> &'static Aliases {
        &BUILT_IN_ALIASES
    }

    /// The built-in table plus `(alias, symbol)` pairs (an extra alias overrides a built-in one).
    /// Aliases are matched ignoring case, spaces and `/`: `("Gold Spot", "XAUUSD.m")`.
    pub fn with_extra(extra: &[(String, String)]) -> Aliases {
        let mut map = BUILT_IN_ALIASES.map.clone();
        for (alias, symbol) in extra {
            let key = key_of(alias);
            if !key.is_empty() && !symbol.trim().is_empty() {
                map.insert(key, symbol.trim().to_string());
            }
        }
        Aliases::new(map)
    }

    /// The keys (see [`key_of`]) of every alias of `canonical`.
    pub fn keys_for<'a>(&'a self, canonical: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.map
            .iter()
            .filter(move |(_, c)| c.eq_ignore_ascii_case(canonical))
            .map(|(k, _)| k)
    }

    /// Every symbol the table maps to.
    pub fn symbols(&self) -> std::collections::BTreeSet<&str> {
        self.map.values().map(String::as_str).collect()
    }

    fn get(&self, key: &str) -> Option<&str> {
        if !self.heads.may_hold(key) {
            return None;
        }
        self.map.get(key).map(String::as_str)
    }
}

impl Default for Aliases {
    fn default() -> Self {
        BUILT_IN_ALIASES.clone()
    }
}

/// An alias as a lookup key: its letters and digits, lower case. A word of a message that is only
/// letters and digits is its own key once the lexer has lower-cased it, so most words cost no
/// second copy.
pub fn key_of(raw: &str) -> String {
    let cls = classes();
    let mut key = String::with_capacity(raw.len());
    for c in raw.chars().filter(|&c| cls.is_alphanumeric(c)) {
        cls.push_lower(&mut key, c);
    }
    key
}

/// Whether `name` is `raw` ignoring case and everything but letters and digits (`XAUUSD` is
/// `xau/usd`): the trace then need not say it was an alias.
fn is_key_of(name: &str, raw: &str) -> bool {
    let cls = classes();
    let mut raw = raw.chars().filter(|&c| cls.is_alphanumeric(c));
    let same = |r: char, n: char| {
        r.eq_ignore_ascii_case(&n) || (!r.is_ascii() && r.to_lowercase().eq(n.to_lowercase()))
    };
    name.chars().all(|n| raw.next().is_some_and(|r| same(r, n))) && raw.next().is_none()
}

/// How a symbol was recognised (for the trace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    Alias,
    Pair,
    PairTypo,
    Crypto,
    Ticker,
}

/// One symbol mention: its canonical name, the text as written, its byte span.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SymbolHit {
    pub canonical: String,
    pub raw: String,
    pub how: How,
}

impl SymbolHit {
    pub(crate) fn trace(&self) -> String {
        match self.how {
            How::Alias if !is_key_of(&self.canonical, &self.raw) => {
                trace_fmt!("symbol: alias {} → {}", self.raw, self.canonical)
            }
            How::Alias | How::Pair => trace_fmt!("symbol: word {}", self.raw),
            How::PairTypo => trace_fmt!("symbol: typo {} → {}", self.raw, self.canonical),
            How::Crypto => trace_fmt!("symbol: crypto pair {} → {}", self.raw, self.canonical),
            How::Ticker => trace_fmt!("symbol: ticker {} (as written)", self.raw),
        }
    }
}

/// The currency pair inside a key (see [`key_of`]) with other letters around it: a broker's
/// `EURUSDm` or `m.EURUSD` → `EURUSD`.
pub fn currency_pair_in(key: &str) -> Option<String> {
    if !key.is_ascii() || key.len() < 6 {
        return None;
    }
    (0..=key.len() - 6).find_map(|at| {
        let (a, b) = (&key[at..at + 3], &key[at + 3..at + 6]);
        (a != b && is_currency(a) && is_currency(b)).then(|| pair_name(a, b))
    })
}

fn is_currency(s: &str) -> bool {
    s.len() == 3 && CURRENCIES.contains(&s)
}

/// A known symbol for a key (see [`key_of`]): alias, pair, crypto pair.
pub(crate) fn known(aliases: &Aliases, key: &str) -> Option<(String, How)> {
    if let Some(c) = aliases.get(key) {
        // A coin named bare is a ticker as written, whichever table knew it.
        let how = if COINS.contains(&c) {
            How::Ticker
        } else {
            How::Alias
        };
        return Some((c.to_string(), how));
    }
    if is_currency_pair(key) {
        return Some((key.to_ascii_uppercase(), How::Pair));
    }
    // `Usdchff`: a pair with its last letter typed twice.
    if key.len() == 7 && key.is_ascii() && key.as_bytes()[5] == key.as_bytes()[6] {
        let (a, b) = (&key[..3], &key[3..6]);
        if a != b && is_currency(a) && is_currency(b) {
            return Some((key[..6].to_ascii_uppercase(), How::PairTypo));
        }
    }
    // A base of 2 to 10 characters before a quote of at least 3.
    if !(5..=15).contains(&key.len()) || !key.is_ascii() {
        return None;
    }
    for q in CRYPTO_QUOTES {
        if let Some(base) = key.strip_suffix(q)
            && (2..=10).contains(&base.len())
            && base.starts_with(|c: char| c.is_ascii_alphabetic())
            && *q != "usd"
        {
            return Some((key.to_ascii_uppercase(), How::Crypto));
        }
    }
    None
}

/// A base and a quote written apart (`B/USDT`, `CTK  / USDT`, `EUR AUD`), from the keys of the
/// two words. `scratch` is for joining them, which most pairs of words need not pay for.
pub(crate) fn known_pair(
    aliases: &Aliases,
    a: &str,
    b: &str,
    slash: bool,
    scratch: &mut String,
) -> Option<(String, How)> {
    if a.len() + b.len() <= aliases.longest && aliases.heads.may_hold_joined(a, b) {
        scratch.clear();
        scratch.push_str(a);
        scratch.push_str(b);
        if let Some(hit) = aliases.get(scratch) {
            return Some((hit.to_string(), How::Alias));
        }
    }
    if is_currency(a) && is_currency(b) && a != b {
        return Some((pair_name(a, b), How::Pair));
    }
    if slash
        && CRYPTO_QUOTES.contains(&b)
        && a.is_ascii()
        && (1..=10).contains(&a.len())
        && a.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return Some((pair_name(a, b), How::Crypto));
    }
    None
}

/// The broker name of a base and a quote given as keys: `eur`, `usd` → `EURUSD`.
fn pair_name(base: &str, quote: &str) -> String {
    let mut name = String::with_capacity(base.len() + quote.len());
    name.push_str(base);
    name.push_str(quote);
    name.make_ascii_uppercase();
    name
}

/// The symbol a reading's symbol trades as among those the terminal offers: itself, or for a bare
/// crypto ticker as channels write it (`BTC`, `ETH`, `$SOL`) its pair against the dollar or
/// tether (`BTCUSD`, `SOLUSDT`).
pub fn trading_symbol(read: &str, offered: impl Fn(&str) -> bool) -> Option<String> {
    if offered(read) {
        return Some(read.to_string());
    }
    ["USD", "USDT"]
        .iter()
        .map(|quote| format!("{read}{quote}"))
        .find(|pair| offered(pair))
}

/// The canonical name of the first symbol mentioned in `text` (`"gold"` → `XAUUSD`).
pub fn canonical_symbol(text: &str) -> Option<String> {
    let text = super::normalize::normalize(text);
    let mut lexed = super::tokens::Lexed::default();
    super::tokens::lex(
        &text,
        Aliases::built_in(),
        &super::words::Words::default(),
        &mut Default::default(),
        &mut lexed,
    );
    lexed.symbols.into_iter().next().map(|h| h.canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<String> {
        canonical_symbol(text)
    }

    #[test]
    fn aliases_are_canonicalised() {
        for (text, want) in [
            ("GOLD", "XAUUSD"),
            ("xau", "XAUUSD"),
            ("XAU/USD", "XAUUSD"),
            ("#XAUUSD", "XAUUSD"),
            ("EUR/USD", "EURUSD"),
            ("gbp usd", "GBPUSD"),
            ("Usdjpy", "USDJPY"),
            ("DOW", "US30"),
            ("DJ30", "US30"),
            ("us30", "US30"),
            ("NASDAQ", "NAS100"),
            ("NAS", "NAS100"),
            ("US100", "NAS100"),
            ("nas100", "NAS100"),
            ("BTC", "BTC"),
            ("ETH", "ETH"),
            ("BTC/USD", "BTCUSD"),
            ("Bitcoin", "BTCUSD"),
            ("BTC/USDT", "BTCUSDT"),
            ("$BTCUSD", "BTCUSD"),
            ("B/USDT", "BUSDT"),
            ("CTK  / USDT", "CTKUSDT"),
            ("GER40.s", "GER40"),
            ("الذهب", "XAUUSD"),
            ("Dow Jones", "US30"),
        ] {
            assert_eq!(first(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn extra_aliases_come_from_config() {
        let extra = Aliases::with_extra(&[("Gold Spot".to_string(), "XAUUSD.m".to_string())]);
        let p = super::super::parse_with("gold spot buy 2350 sl 2340 tp 2360", &extra);
        assert_eq!(p.symbol.as_deref(), Some("XAUUSD.m"), "{:?}", p.trace);
    }

    #[test]
    fn words_that_merely_start_like_a_symbol_are_not_symbols() {
        for text in ["Goldman", "nasty", "usd usd", "dowel", "eurusdx"] {
            assert_eq!(first(text), None, "{text}");
        }
    }
}
