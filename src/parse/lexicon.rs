//! The trading vocabulary, as data: one table, one row per (language, meaning, words).
//!
//! Adding a language or a word is adding a row; no rule changes. A word may be a phrase written
//! with single spaces (`stop loss`, `حد ضرر`): the lexer matches phrases on consecutive words.
//! Words are lower case; Arabic words are also found behind the article `ال` (and a proclitic
//! before it: `وال`, `بال`, `لل`).

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::model::Side;

use super::text::{FastMap, Heads};

/// What a word means to the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Side(Side),
    /// `bullish`, `bearish`: a side only on a `Direction:` line.
    Bias(Side),
    Direction,
    Limit,
    /// `stop`: the stop-loss label, or the order type in `buy stop`.
    Stop,
    Sl,
    Tp,
    /// `entry`: always starts the entry (and is the breakeven price in "SL to entry").
    Entry,
    /// `at`, `from`, `zone`: an entry only when no SL/TP is being read.
    EntryWeak,
    /// `to`, `в`, `به`: joins a level to its instruction.
    To,
    Market,
    Pips,
    /// Labels whose numbers are not levels (`lot`, `risk`, `timeframe`).
    Ignore,
    /// A TP written without a price (`open`, `hold`, `runner`): skipped.
    Open,
    Breakeven,
    /// `be`: breakeven only next to a stop word or a verb ("SL to BE"), else the English verb.
    BeWeak,
    Move,
    New,
    /// A report that a level changed (`tightened`, `updated`).
    Update,
    Close,
    Cancel,
    /// `not valid anymore`: the signal is withdrawn.
    Invalid,
    /// `not ours`, `another channel`: a signal quoted from elsewhere, never to be taken.
    Foreign,
    Take,
    Partial,
    Half,
    Quarter,
    All,
    /// What a close or cancel acts on: `position`, `trade`.
    Object,
    /// What else a close acts on: `it`, `the rest`, `here`.
    Rest,
    /// What a cancel acts on: `order`, `pending`, `signal`.
    OrderWord,
    Result,
    Hedge,
    Promo,
    Negation,
    Condition,
    Advice,
    /// `long term`: not a side.
    Term,
    /// Exchanges and hashtags that are never a ticker (`binance`, `forex`).
    NotTicker,
}

/// The languages of the table (for the trace and for the formats fixture's coverage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    En,
    Es,
    Pt,
    Fr,
    Ru,
    Ar,
    Fa,
    Pl,
    Tr,
    De,
    It,
    Hi,
    Nl,
    Ro,
    Uk,
    Id,
    Vi,
    Sw,
    Tl,
    Th,
    Zh,
    Ja,
    Ko,
    El,
    Cs,
    Kk,
    /// A word of the user's (`[parser.words]`), in whatever language they wrote it.
    Words,
}

use Class as C;
use Lang::*;

const BUY: Class = C::Side(Side::Buy);
const SELL: Class = C::Side(Side::Sell);
const BULL: Class = C::Bias(Side::Buy);
const BEAR: Class = C::Bias(Side::Sell);

/// The vocabulary. Earlier rows win when a word appears twice.
#[rustfmt::skip]
const TABLE: &[(Lang, Class, &[&str])] = &[
    // --- English (also the lingua franca of most channels)
    (En, C::Term, &["long term", "short term", "longterm", "shortterm", "mid term"]),
    (En, BUY, &["buy", "long", "buying", "longs", "buys", "purchasing", "purchase"]),
    (En, SELL, &["sell", "short", "selling", "shorts", "sells"]),
    (En, BULL, &["bullish", "bull"]),
    (En, BEAR, &["bearish", "bear"]),
    (En, C::Direction, &["direction"]),
    (En, C::Limit, &["limit"]),
    (En, C::Stop, &["stop", "stops"]),
    (En, C::Sl, &["sl", "stoploss", "lock profit at", "lock profits at", "lock in profit at", "lock in profits at", "stop loss", "stop losses", "stoplosses", "stop targets", "invalidation", "invalidation level", "stop lost", "invalid above", "invalid below", "inv", "inval"]),
    (En, C::Tp, &["tp", "tps", "target", "targets", "tgt", "takeprofit", "take profit", "take profits", "tp's", "targeting", "objective", "objectives", "take profir", "take proft", "tgts", "obj"]),
    (En, C::Entry, &["entry", "entries", "enter", "entery", "entrie"]),
    (En, C::EntryWeak, &["at", "from", "zone", "price", "limites", "area"]),
    (En, C::To, &["to", "on", "into"]),
    (En, C::Market, &["now", "cmp", "market", "mkt", "instant", "immediately", "asap"]),
    (En, C::Pips, &["pip", "pips", "point", "points", "pts", "p"]),
    (En, C::Ignore, &["holding time", "holding period", "hold time", "previous high", "previous low", "prev high", "prev low", "daily high", "daily low", "weekly high", "weekly low", "support", "supports", "resistance", "resistances", "pivot", "demand", "supply", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ago", "id", "nr", "ref", "ticket", "lot", "lots", "lotsize", "risk", "leverage", "rr", "ratio", "timeframe",
        "time", "expiry", "date", "balance", "volume", "tf", "account", "capital", "hour",
        "hours", "min", "mins", "minutes", "day", "days", "week", "member", "members", "signal",
        "signals", "reward"]),
    (En, C::Open, &["open", "hold", "runner", "trailing", "trail", "poen", "leave open"]),
    (En, C::Breakeven, &["breakeven", "break even", "b/e", "bep", "risk free", "riskfree",
        "cost", "brekeven", "breakevan", "brake even", "breakeeven"]),
    (En, C::BeWeak, &["be"]),
    (En, C::Move, &["extend", "adjusting", "lower", "edit", "adjustment", "move", "moving", "set", "make", "put", "shift", "bring", "place", "adjust",
        "change", "modify", "raise", "tighten", "lock"]),
    (En, C::New, &["new", "add", "adding", "added"]),
    (En, C::Update, &["amended", "revised", "correction", "corrected", "tightened", "updated", "update", "moved", "changed", "adjusted", "modified",
        "extended", "raised"]),
    (En, C::Move, &["cut risk", "reduce risk", "reducing risk", "trail"]),
    (En, C::Close, &["kill", "cut", "flat", "flatten", "rest out", "all out", "i'm out", "we're out", "we are out", "i am out", "sell everything", "im out", "were out", "get out", "get out of", "getting out", "getting out of", "fully out", "close", "closing", "exit"]),
    (En, C::Cancel, &["deleted", "deleting", "pull", "pulling", "removing", "cancel", "canceled", "cancelled", "cancelling", "canceling", "delete",
        "remove"]),
    (En, C::Invalid, &["withdrawn", "for reference only", "reference only", "stale", "outdated", "not valid", "no longer valid", "invalid", "invalidated"]),
    (En, C::Take, &["take", "book", "secure"]),
    (En, C::Partial, &["a little", "a bit", "little", "bit", "most", "majority", "portion", "part", "some", "partial", "partials", "partially"]),
    (En, C::Half, &["half", "halve"]),
    (En, C::Quarter, &["quarters", "quarter"]),
    (En, C::All, &["all", "everything", "full", "fully", "entire", "entirely", "whole", "completely"]),
    (En, C::Object, &["position", "positions", "trade", "trades"]),
    (En, C::Rest, &["it", "them", "here", "early", "manually", "last", "remaining", "rest", "yours"]),
    (En, C::OrderWord, &["pending", "order", "orders", "setup"]),
    (En, C::Result, &["win", "loss", "lost", "entered", "holding", "tutorial", "scenario", "hypothetically", "hypothetical", "e.g", "proof", "feedback", "testimonial", "traded", "miss", "gave", "made", "banked", "bagged", "opinion", "was", "were", "wins", "won", "statistics", "stats", "quiz", "example", "sample", "snapshot", "floating", "educational", "education", "demo", "fake", "reminder", "repost", "reposting", "re-posting", "active", "expired", "void", "missed", "yesterday", "yesterday's", "copy", "hit", "hits", "smashed", "reached", "done", "booked", "secured", "banked",
        "triggered", "activated", "filled", "closed", "running", "recap", "result", "results",
        "congrats", "congrat", "congratulations", "stopped out", "in profit", "profit booked",
        "sl hit", "tp hit", "won", "stopped", "our last", "last signals", "previous signals", "would have", "you'd have", "could have", "old signal",
        "past signal", "throwback"]),
    (En, C::Hedge, &["consider", "considering", "potential", "potentially", "wait for", "waiting for", "looking for", "looking to", "looking at",
        "look for", "get ready", "be ready", "stay tuned", "coming soon", "soon", "watch",
        "watching", "might", "may", "maybe", "possible", "possibly", "could", "analysis", "outlook",
        "heads up", "prepare", "expect", "expecting", "expected", "bias", "idea",
        "setup forming", "wait my", "wait confirmation", "plan", "planning", "area of interest",
        "zone of interest", "want to see", "wanna see", "on my radar", "nothing yet", "prob", "probably"]),
    (En, C::Promo, &["join", "vip", "subscribe", "subscription", "membership", "premium",
        "discount", "offer", "promo", "promotion", "dm", "inbox", "whatsapp", "contact", "trial"]),
    (En, C::Negation, &["nobody", "no one", "noone", "paper trade", "paper trading", "personal trade", "don't", "dont", "do not", "never", "no need to", "not to", "won't",
        "will not", "not", "no"]),
    (En, C::Condition, &["wait for my confirmation", "before entry", "before entering", "last week", "last time", "only after", "only if", "only when", "wait for confirmation", "waiting for confirmation", "after confirmation", "next week", "on break of", "on a break of", "on the break of", "breakout of", "on breakout", "once", "when", "whenever", "until", "unless", "tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "sunday", "if"]),
    (En, C::Advice, &["always", "remember", "tip", "advice", "should", "lesson"]),
    (En, C::NotTicker, &["or", "and", "the", "for", "of", "binance", "bybit", "okx", "kucoin", "bitget", "mexc", "futures", "spot",
        "forex", "crypto", "scalping", "scalp", "swing", "free", "update", "news", "alert",
        "trading", "gm", "usdt", "usd", "pair", "asset", "client", "published", "by", "nfp", "cpi",
        "fomc", "opec", "gdp", "pmi", "ppi", "fed", "ecb", "boe", "boj", "ny", "utc", "gmt", "est", "h1",
        "h4", "m5", "m15", "m30", "d1", "w1", "pnl", "roi", "ath", "atl", "dxy", "eur", "gbp",
        "jpy", "aud", "nzd", "cad", "chf", "am", "pm", "ok", "tf", "rsi", "ema", "sma", "macd",
        "fvg", "ob", "bos", "choch", "smc", "ict", "ltf", "htf", "pa", "sr", "ta", "fa"]),

    // --- Spanish
    (Es, BUY, &["compras", "compra", "comprar", "compre", "compramos", "largo", "comprá"]),
    (Es, SELL, &["ventas", "venta", "vender", "venda", "vende", "vendemos", "corto", "vendé"]),
    (Es, BULL, &["alcista"]),
    (Es, BEAR, &["bajista"]),
    (Es, C::Direction, &["dirección", "direccion"]),
    (Es, C::Limit, &["límite", "limite", "limitada", "limitado"]),
    (Es, C::Sl, &["stop de pérdida", "stop de perdida", "stoploss"]),
    (Es, C::Tp, &["objetivo", "objetivos", "toma de ganancias", "tomar ganancias", "meta", "metas"]),
    (Es, C::Entry, &["entrada", "entradas", "precio de entrada"]),
    (Es, C::EntryWeak, &["en", "desde", "zona", "precio"]),
    (Es, C::To, &["a", "al", "hasta"]),
    (Es, C::Market, &["ahora", "mercado", "inmediato", "ya mismo"]),
    (Es, C::Pips, &["puntos"]),
    (Es, C::Ignore, &["soporte", "resistencia", "lote", "lotes", "riesgo", "apalancamiento"]),
    (Es, C::Breakeven, &["punto de equilibrio", "sin riesgo"]),
    (Es, C::Move, &["subimos", "subir", "sube", "suban", "bajamos", "bajar", "baja", "movemos", "ajustamos", "ajusta", "ponemos", "colocamos", "mover", "mueve", "muevan", "muevo", "pon", "poner", "coloca", "colocar",
        "ajusta", "ajustar", "subir", "suban"]),
    (Es, C::New, &["nuevo", "nueva", "nuevos", "nuevas"]),
    (Es, C::Move, &["ajustad", "moved", "poned", "subid", "cambiamos"]),
    (Es, C::Update, &["movido", "actualizado", "actualizados", "actualizadas", "actualización", "actualizacion", "ajustado"]),
    (Es, C::Close, &["ciérrenla", "ciérrenlo", "cerradla", "salgo", "cierro", "cerrar", "cierren", "cierra", "cierre", "cerramos", "cerrad", "salir", "todo fuera", "cerrá", "cerrá todo"]),
    (Es, C::Cancel, &["cancelamos", "cancelar", "cancelen", "cancela", "cancelado", "cancelada", "anular",
        "eliminar"]),
    (Es, C::Invalid, &["vencida", "vencido", "caducada", "caducado", "expirada", "expirado", "no es válido", "no válido", "inválido", "ya no es valido"]),
    (Es, C::Take, &["tomamos", "tomar", "tomen", "toma", "tomad", "tomá", "asegurar", "aseguramos", "asegurad"]),
    (Es, C::Partial, &["parcial", "parciales", "parcialmente", "algo de", "una parte"]),
    (Es, C::Half, &["mitad"]),
    (Es, C::All, &["todo", "todos", "todas", "toda"]),
    (Es, C::Object, &["posición", "posicion", "posiciones", "operación", "operacion",
        "operaciones"]),
    (Es, C::OrderWord, &["orden", "órdenes", "ordenes", "pendiente", "pendientes", "señal"]),
    (Es, C::Result, &["ejemplo", "perdí", "resumen", "resultado", "ayer", "ganada", "anulada", "alcanzado", "alcanzó", "tocado", "cerrado", "cerrada", "logrado",
        "conseguido", "ganancia", "ganancias", "felicidades"]),
    (Es, C::Hedge, &["esperar", "esperando", "esperamos", "posible", "quizás", "quizas", "análisis",
        "analisis", "atentos", "preparados", "pronto"]),
    (Es, C::Promo, &["únete", "unete", "suscríbete", "suscribete", "promoción", "descuento",
        "oferta"]),
    (Es, C::Negation, &["no", "nunca"]),
    (Es, C::Condition, &["esperen confirmación", "esperar confirmación", "esperen confirmacion", "si"]),
    (Es, C::Advice, &["siempre", "recuerden"]),

    // --- Portuguese
    (Pt, BUY, &["compras", "compra", "comprar", "compre", "compramos", "comprado"]),
    (Pt, SELL, &["vendas", "venda", "vender", "vendemos", "vendido"]),
    (Pt, BULL, &["altista"]),
    (Pt, BEAR, &["baixista"]),
    (Pt, C::Direction, &["direção", "direcao"]),
    (Pt, C::Tp, &["alvo", "alvos"]),
    (Pt, C::Entry, &["entrada", "preço de entrada", "ponto de entrada"]),
    (Pt, C::EntryWeak, &["em", "zona", "preço", "preco"]),
    (Pt, C::To, &["pro", "pra", "para", "até", "ao"]),
    (Pt, C::Market, &["agora", "mercado", "já"]),
    (Pt, C::Pips, &["pontos"]),
    (Pt, C::Ignore, &["suporte", "resistência", "resistencia", "lote", "lotes", "risco", "alavancagem"]),
    (Pt, C::Breakeven, &["zero a zero", "no zero", "ponto de equilíbrio", "sem risco"]),
    (Pt, C::Move, &["sobe", "subam", "suba", "subir", "subimos", "mova", "movam", "mover", "coloque", "coloquem", "colocar", "ajuste", "ajustar"]),
    (Pt, C::New, &["novo", "nova", "novos", "novas"]),
    (Pt, C::Update, &["movido", "atualizado", "atualização", "atualizacao", "ajustado"]),
    (Pt, C::Close, &["zerem", "zerar", "zeramos", "zera", "fecha", "fechando", "fecho", "encerra", "fechar", "feche", "fechem", "fechamos", "encerrar", "encerrem", "sair"]),
    (Pt, C::Cancel, &["cancelar", "cancelem", "cancele", "cancelado", "cancelada", "excluir"]),
    (Pt, C::Invalid, &["vencida", "vencido", "expirada", "expirado", "não é válido", "não está válido", "inválido", "invalido"]),
    (Pt, C::Take, &["realizar", "realizem", "realiza", "realizando", "garantir", "façam", "faça", "fazer"]),
    (Pt, C::Partial, &["parcial", "parciais", "parte"]),
    (Pt, C::Half, &["metade"]),
    (Pt, C::All, &["tudo", "todas", "todos"]),
    (Pt, C::Object, &["posição", "posicao", "posições", "operação", "operacao", "operações"]),
    (Pt, C::OrderWord, &["ordem", "ordens", "pendente", "sinal"]),
    (Pt, C::Result, &["exemplo", "resultado", "ontem", "cancelado", "atingido", "atingiu", "batido", "bateu", "alcançado", "fechado", "fechada",
        "lucro", "parabéns"]),
    (Pt, C::Hedge, &["fiquem de fora", "fique de fora", "ficar de fora", "aguardando", "aguardar", "aguardem", "esperando", "possível", "talvez",
        "análise", "atenção", "preparem"]),
    (Pt, C::Promo, &["inscreva", "promoção", "desconto", "oferta"]),
    (Pt, C::Negation, &["não", "nao", "nunca"]),
    (Pt, C::Condition, &["se"]),
    (Pt, C::Advice, &["sempre", "lembrem"]),

    // --- French
    (Fr, BUY, &["achats", "achat", "acheter", "achetez", "achète", "achete"]),
    (Fr, SELL, &["ventes", "vente", "vendre", "vendez"]),
    (Fr, BULL, &["haussier", "haussière"]),
    (Fr, BEAR, &["baissier", "baissière"]),
    (Fr, C::Tp, &["objectif", "objectifs", "cible", "cibles", "prise de profit"]),
    (Fr, C::Entry, &["entrée", "entree", "prix d'entrée", "point d'entrée"]),
    (Fr, C::EntryWeak, &["à", "depuis", "prix"]),
    (Fr, C::Market, &["immédiate", "immediate", "maintenant", "immédiat", "immediat", "immédiatement", "marché", "marche"]),
    (Fr, C::Breakeven, &["point mort", "seuil de rentabilité", "sans risque"]),
    (Fr, C::Move, &["suiveur", "remonte", "remontons", "déplace", "deplace", "déplacer", "déplacez", "deplacez", "mettre", "mettez", "placez", "ajustez", "ajuster", "ajustons",
        "remonter", "remontez"]),
    (Fr, C::New, &["nouveau", "nouvel", "nouvelle", "nouveaux", "nouvelles"]),
    (Fr, C::Update, &["passé", "placé", "mis", "déplacé", "ajusté", "mis à jour", "abaissé", "remonté", "relevé", "baissé"]),
    (Fr, C::Close, &["ferme", "fermons", "clôture", "cloture", "clôturons", "je sors", "fermez", "fermer", "fermons", "clôturez", "cloturez", "clôturer", "sortez"]),
    (Fr, C::Cancel, &["j'annule", "annule", "annulons", "annuler", "annulez", "annulé", "annulée", "supprimez"]),
    (Fr, C::Invalid, &["expiré", "expirée", "périmé", "plus valide", "n'est plus valable"]),
    (Fr, C::Take, &["prendre", "prenez", "sécurisez", "sécurise", "sécurisons", "sécuriser", "encaisse", "encaissons"]),
    (Fr, C::Partial, &["partiel", "partielle", "partiels", "partiellement", "une partie"]),
    (Fr, C::Half, &["moitié", "moitie"]),
    (Fr, C::All, &["tout", "tous", "toutes"]),
    (Fr, C::Object, &["position", "positions", "trade"]),
    (Fr, C::OrderWord, &["ordre", "ordres", "en attente"]),
    (Fr, C::Result, &["exemple", "annulé", "annulée", "résultat", "atteint", "touché", "fermé", "fermée", "clôturé", "gagné", "bravo"]),
    (Fr, C::Hedge, &["attendre", "attendez", "attente", "peut-être", "analyse", "préparez",
        "bientôt"]),
    (Fr, C::Promo, &["rejoignez", "abonnez", "réduction", "offre"]),
    (Fr, C::Negation, &["ne", "pas", "jamais"]),
    (Fr, C::Advice, &["toujours"]),
    (Fr, C::Rest, &["ici", "vous aussi"]),
    (Fr, C::To, &["au", "aux"]),
    (Fr, C::Ignore, &["résistance", "resistance", "pivot"]),

    // --- Russian
    (Ru, BUY, &["лонги", "покупки", "покупаю", "покупка", "покупку", "купить", "покупаем", "лонг", "лонгуем", "покупай"]),
    (Ru, SELL, &["селлы", "шорты", "продажи", "продаю", "продажа", "продажу", "продать", "продаем", "продаём", "шорт", "шортим", "продавай"]),
    (Ru, C::Direction, &["направление"]),
    (Ru, C::Limit, &["лимитом", "лимиткой", "лимитке", "лимитным", "лимитный ордер", "лимит", "лимитный", "лимитка"]),
    (Ru, C::Stop, &["стоп"]),
    (Ru, C::Sl, &["стоп лосс", "стоплосс", "стоп-лосс", "сл"]),
    (Ru, C::Tp, &["тп", "тейк-профит", "тейк", "тейки", "тейку", "тейка", "тейком", "тейков", "тейкам", "тейк профит", "тейкпрофит", "цель", "цели", "целью", "целей"]),
    (Ru, C::Entry, &["входим", "усреднение", "добор", "вход", "входа", "точка входа"]),
    (Ru, C::EntryWeak, &["по", "от", "зона", "цена", "диапазон"]),
    (Ru, C::To, &["в", "на", "к", "до"]),
    (Ru, C::Market, &["по текущим", "с текущих", "текущих", "текущим", "с рынка", "сейчас", "рынок", "по рынку"]),
    (Ru, C::Pips, &["пунктов", "пункта", "пипсов"]),
    (Ru, C::Ignore, &["поддержка", "поддержки", "сопротивление", "сопротивления", "лот", "лота", "лотов", "деп", "депо", "депозита", "депозит", "плечом", "риск", "плечо"]),
    (Ru, C::Breakeven, &["б/у", "бу", "безубыток", "безубытка", "точку входа"]),
    (Ru, C::Move, &["двигаю", "переставляю", "переношу", "перенести", "переносим", "переносите", "переставляем", "переставить",
        "передвинуть", "двигаем", "ставим", "ставьте"]),
    (Ru, C::New, &["новый", "новая", "новые"]),
    (Ru, C::Update, &["перенесен", "перенесён", "передвинут", "обновлены", "обновил"]),
    (Ru, C::Close, &["закрываю", "закрою", "закрываемся", "выходим", "выхожу", "закрыть", "закрываем", "закрывайте", "закрой", "закройте"]),
    (Ru, C::Cancel, &["снимаем", "снимите", "снять", "удаляем", "удалите", "отмена", "отменить", "отменяем", "отмените", "отменен", "отменён"]),
    (Ru, C::Invalid, &["устарел", "устарела", "устаревший", "просрочен", "не актуально", "неактуально"]),
    (Ru, C::Take, &["фиксирую", "фиксируем", "зафиксировать", "зафиксируйте", "фиксируйте"]),
    (Ru, C::Partial, &["частично", "частичная", "частичную", "часть"]),
    (Ru, C::Half, &["половину", "половина"]),
    (Ru, C::All, &["все", "всё"]),
    (Ru, C::Object, &["позицию", "позиции", "позиция", "сделку", "сделки"]),
    (Ru, C::OrderWord, &["ордер", "ордера", "отложку", "отложенный", "сигнал"]),
    (Ru, C::Result, &["выбило", "пример", "была", "был", "было", "результат", "результаты", "итог", "вчерашние", "итоги", "напоминаю", "напоминание", "активна", "отмена", "закрыта", "закрыт", "закрыли", "взят", "взяли", "отработал", "отработала",
        "профит", "поздравляю"]),
    (Ru, C::Hedge, &["обзор", "анализ", "возможно", "готовьтесь", "жду", "ждём", "ждем"]),
    (Ru, C::Promo, &["подписка", "подпишись", "скидка", "акция", "вступай"]),
    (Ru, C::Rest, &["здесь", "тут", "остаток", "тоже"]),
    (Ru, C::Negation, &["не", "нельзя"]),
    (Ru, C::Condition, &["ждём подтверждения", "ждем подтверждения", "если"]),
    (Ru, C::Advice, &["всегда", "помните"]),

    // --- Arabic (also found behind the article ال)
    (Ar, BUY, &["تشتري", "تشتروا", "اشتروا", "شراء", "اشتري", "إشتري"]),
    (Ar, SELL, &["تبيع", "تبيعوا", "بيع", "بع"]),
    (Ar, BULL, &["صعودي"]),
    (Ar, BEAR, &["هبوطي"]),
    (Ar, C::Direction, &["اتجاه"]),
    (Ar, C::Limit, &["ليمت", "لميت", "ليميت", "معلق"]),
    (Ar, C::Stop, &["ستوب", "وقف", "استوب", "الاستوب"]),
    (Ar, C::Sl, &["وقف الخسارة", "وقف خسارة", "ستوب لوز", "ستوب لوس"]),
    (Ar, C::Tp, &["تيك", "تيك بروفيت", "هدف", "أهداف", "اهداف", "تارجت", "تارجتات", "التارجتات", "جني الأرباح", "جني الارباح"]),
    (Ar, C::Entry, &["الدخول", "لنقطة الدخول", "دخول", "نقطة الدخول", "سعر الدخول"]),
    (Ar, C::EntryWeak, &["من", "عند", "منطقة", "سعر"]),
    (Ar, C::Stop, &["ستوب", "الستوب"]),
    (Ar, C::To, &["إلى", "الى", "على"]),
    (Ar, C::Market, &["الحين", "هلق", "دلوقتي", "حالا", "حالاً", "الآن", "الان", "آن", "فورا", "فوراً"]),
    (Ar, C::Pips, &["نقطة", "نقاط", "بيب"]),
    (Ar, C::Breakeven, &["ريسك فري", "نقطة التعادل", "تعادل"]),
    (Ar, C::Move, &["ارفعوا", "ارفع", "نزلوا", "نزل", "عدلوا", "عدل", "عدّلوا", "حركوا", "انقل", "انقلوا", "نقل", "حرك", "حركوا", "ضع", "ضعوا", "اجعل", "نرفع", "ننقل", "نحرك", "نعدل", "ننزل"]),
    (Ar, C::New, &["جديد", "جديدة"]),
    (Ar, C::Close, &["اقفلوا", "قفلوا", "اقفلو", "اغلق", "أغلق", "اغلاق", "إغلاق", "اقفل", "أقفلوا", "اغلقوا", "أغلقوا"]),
    (Ar, C::Cancel, &["الغاء", "إلغاء", "الغي", "ألغي", "الغوا"]),
    (Ar, C::Take, &["خذ", "خذوا"]),
    (Ar, C::Partial, &["جزئي", "جزء"]),
    (Ar, C::Half, &["نص", "نصف"]),
    (Ar, C::All, &["كل", "الكل", "جميع", "كله", "كاملة", "كامل"]),
    (Ar, C::Object, &["صفقة", "صفقات", "الصفقة", "مركز"]),
    (Ar, C::OrderWord, &["أمر", "امر", "طلب"]),
    (Ar, C::Result, &["مثال", "نتائج", "نتيجة", "الأمس", "ملغاة", "ضربت", "ضرب", "تحقق", "حقق", "أصاب", "اصاب", "تم", "مبروك", "عينة", "أمس", "امس", "البارحة"]),
    (Ar, C::Hedge, &["انتظار", "نراقب", "ننتظر", "التأكيد", "تحليل", "ربما", "ممكن", "استعدوا", "قريبا", "نتوقع"]),
    (Ar, C::Promo, &["اشترك", "خصم", "انضم", "عرض"]),
    (Ar, C::Negation, &["لا", "ممنوع"]),
    (Ar, C::Condition, &["إذا", "اذا", "لو"]),
    (Ar, C::Advice, &["دائما"]),

    // --- Persian
    (Fa, BUY, &["بای", "خریدها", "بخر", "بخرید", "لانگ", "خرید", "خریدم"]),
    (Fa, SELL, &["سل", "فروشها", "فروش‌ها", "بفروش", "شورت", "فروش", "بفروشید", "فروختم"]),
    (Fa, C::Limit, &["لیمیت", "لیمت", "ليميت"]),
    (Fa, C::Negation, &["نشید", "نشوید"]),
    (Fa, BULL, &["صعودی"]),
    (Fa, BEAR, &["نزولی"]),
    (Fa, C::Direction, &["جهت"]),
    (Fa, C::Stop, &["استاپ"]),
    (Fa, C::Sl, &["استاپ", "حدضرر", "حد ضرر", "استاپ لاس", "ضرر"]),
    (Fa, C::Tp, &["تارگتهای", "تارگت های", "تارگتها", "تارگت ها", "تی پی", "تیپی", "تارگت", "حد سود", "اهداف"]),
    (Fa, C::Entry, &["ورود", "نقطه ورود", "قیمت ورود"]),
    (Fa, C::EntryWeak, &["نقاط", "نقطه", "از", "محدوده", "قیمت"]),
    (Fa, C::To, &["به", "تا", "روی"]),
    (Fa, C::Market, &["الان", "همین الان", "فوری"]),
    (Fa, C::Pips, &["پیپ", "نقطه"]),
    (Fa, C::Breakeven, &["سربسر", "سر به سر", "ریسک فری"]),
    (Fa, C::Move, &["بیارید", "بیار", "بذار", "بگذار", "بیاد", "بیاید", "بره", "ببر", "کنید", "بکنید", "کن", "منتقل", "ببرید", "بذارید", "بگذارید", "جابجا", "تغییر", "تغییر دهید"]),
    (Fa, C::New, &["جدید"]),
    (Fa, C::Close, &["ببندید", "بستن", "ببند"]),
    (Fa, C::Cancel, &["حذف", "لغو", "کنسل"]),
    (Fa, C::Take, &["بگیرید", "سیو", "سیو سود"]),
    (Fa, C::Partial, &["جزئی", "بخشی"]),
    (Fa, C::Half, &["نیمی", "نصف", "نیم"]),
    (Fa, C::All, &["همه", "کل"]),
    (Fa, C::Object, &["پوزیشن", "معامله", "معاملات"]),
    (Fa, C::Ignore, &["حمایت", "مقاومت", "لوریج", "اهرم", "ریسک"]),
    (Fa, C::OrderWord, &["سفارش", "پندینگ"]),
    (Fa, C::Result, &["نتیجه", "دیروز", "لغو", "خورد", "رسید", "تاچ"]),
    (Fa, C::Hedge, &["تحلیل", "شاید", "منتظر", "آماده"]),
    (Fa, C::Promo, &["عضویت", "تخفیف", "اشتراک"]),
    (Fa, C::Condition, &["اگه", "اگر"]),
    (Fa, C::Advice, &["همیشه"]),

    // --- Polish
    (Pl, BUY, &["kupuję", "kupuje", "kupujcie", "kupować", "zakupy", "kupno", "kupuj", "kupujemy", "kupić"]),
    (Pl, SELL, &["sprzedaję", "sprzedaje", "sprzedajcie", "sprzedawać", "sprzedaże", "sprzedaż", "sprzedaz", "sprzedaj", "sprzedajemy", "sprzedać"]),
    (Pl, BULL, &["wzrostowy"]),
    (Pl, BEAR, &["spadkowy"]),
    (Pl, C::Direction, &["kierunek"]),
    (Pl, C::Tp, &["cel", "cele"]),
    (Pl, C::Entry, &["wejście", "wejscie"]),
    (Pl, C::EntryWeak, &["po", "od", "strefa", "cena"]),
    (Pl, C::Market, &["natychmiast", "teraz", "rynek"]),
    (Pl, C::Breakeven, &["próg rentowności"]),
    (Pl, C::Move, &["obniżamy", "obniżcie", "przesuwam", "przesuńcie", "przestawiamy", "ustawcie", "podnosimy", "przenosimy", "przesuń", "przesun", "przesuwamy", "ustaw", "ustawiamy", "przenieś", "zmieniamy", "zmieńcie"]),
    (Pl, C::Sl, &["stopa", "stopę"]),
    (Pl, C::To, &["na", "do"]),
    (Pl, C::Pips, &["pipsów", "pipsach", "pipsy", "pkt", "punktów"]),
    (Pl, C::Ignore, &["wsparcie", "opór"]),
    (Pl, C::New, &["nowy", "nowe", "nowa"]),
    (Pl, C::Close, &["zamykam", "zamknij", "zamykamy", "zamknijcie", "zamknąć"]),
    (Pl, C::Cancel, &["usuńcie", "usuń", "anuluj", "anulujemy", "anulować", "anulowane"]),
    (Pl, C::Partial, &["częściowo", "czesciowo", "częściowe"]),
    (Pl, C::Half, &["połowę", "polowe", "połowa"]),
    (Pl, C::All, &["wszystko", "wszystkie"]),
    (Pl, C::Object, &["pozycję", "pozycje", "pozycja", "transakcję"]),
    (Pl, C::OrderWord, &["zlecenie", "zlecenia", "sygnał"]),
    (Pl, C::Result, &["wczorajszy", "wynik", "anulowany", "anulowane", "osiągnięty", "trafiony", "zamknięta", "zamknięte", "wpadł"]),
    (Pl, C::Hedge, &["analiza", "może", "czekamy", "przygotujcie", "wkrótce", "wrzucę", "góra"]),
    (Pl, C::Promo, &["dołącz", "zniżka", "promocja", "subskrypcja"]),
    (Pl, C::Negation, &["nie"]),
    (Pl, C::Invalid, &["nieaktualne", "nieaktualny", "nieważne"]),
    (Pl, C::Condition, &["jeśli", "jesli", "jeżeli"]),
    (Pl, C::Advice, &["zawsze", "pamiętaj"]),

    // --- Turkish
    (Tr, BUY, &["alışı", "alıyoruz", "alın", "alalım", "alım", "alışları", "alışlar", "alış", "alis", "satın al"]),
    (Tr, SELL, &["satışı", "satıyoruz", "satalım", "satım", "satışları", "satışlar", "satış", "satis"]),
    (Tr, BULL, &["yükseliş"]),
    (Tr, BEAR, &["düşüş"]),
    (Tr, C::Direction, &["yön"]),
    (Tr, C::Sl, &["zarar kes", "zarar durdur", "zararı durdur", "stopu", "stobu", "stopları"]),
    (Tr, C::Tp, &["kar al seviyeleri", "hedef", "hedefler", "hedefleri", "hedefi", "hedefe", "hedefte", "kar al", "kâr al"]),
    (Tr, C::Entry, &["girişe", "girise", "giriş", "giris"]),
    (Tr, C::EntryWeak, &["fiyat", "bölge", "bölgesi"]),
    (Tr, C::Market, &["şimdi", "simdi", "piyasa", "hemen"]),
    (Tr, C::Pips, &["puan"]),
    (Tr, C::Breakeven, &["maliyete", "maliyetine", "başabaşa", "başabaş", "basabas", "maliyet", "başa baş", "başa başa", "girişe", "giriş seviyesine"]),
    (Tr, C::Move, &["yapıyoruz", "yapın", "yapalım", "güncelliyoruz", "güncelleyin", "çekiyoruz", "taşıyoruz", "taşı", "taşıyın", "tasi", "çek", "çekin", "ayarla", "çekelim"]),
    (Tr, C::Stop, &["stopu", "stop"]),
    (Tr, C::Ignore, &["destek", "desteği", "desteğini", "direnç", "direnc", "direnci"]),
    (Tr, C::To, &["seviyesine", "seviyeye", "noktasına", "seviyesini", "seviyesi"]),
    (Tr, C::New, &["yeni"]),
    (Tr, C::Update, &["çekildi", "taşındı", "güncellendi", "çektik", "taşıdık", "yapıldı"]),
    (Tr, C::Close, &["kapatıyorum", "kapatiyorum", "kapatıyoruz", "kapat", "kapatın", "kapatalım", "kapatin", "kapatabilirsiniz", "kapatabiliriz"]),
    (Tr, C::Close, &["kâr alalım", "kar alalım", "kâr alın"]),
    (Tr, C::Cancel, &["iptal"]),
    (Tr, C::Take, &["realize edin", "realize ediyoruz", "realize"]),
    (Tr, C::Partial, &["kısmi", "kismi"]),
    (Tr, C::Half, &["yarım", "yarim", "yarısını", "yarisini", "yarı"]),
    (Tr, C::All, &["hepsi", "hepsini", "tümü", "tümünü", "tamamen", "tamamını", "tamamini"]),
    (Tr, C::Object, &["işlem", "işlemi", "işlemini", "pozisyon", "pozisyonu", "pozisyonun"]),
    (Tr, C::OrderWord, &["emir", "emri", "bekleyen", "sinyal"]),
    (Tr, C::Result, &["örnek", "dünkü", "sonuç", "iptal", "geldi", "vurdu", "ulaştı", "kapandı"]),
    (Tr, C::Hedge, &["analiz", "belki", "bekliyoruz", "hazır olun"]),
    (Tr, C::Promo, &["katıl", "indirim", "abone"]),
    (Tr, C::Negation, &["alma", "almayın", "almayin", "satma", "satmayın", "satmayin", "girme", "girmeyin", "işleme girmeyin", "etmeyin", "değil", "yapmayın", "yapmayin", "yapma"]),
    (Tr, C::Invalid, &["geçersiz", "süresi doldu"]),
    (Tr, C::Condition, &["kırarsa", "kirarsa", "geçerse", "gecerse", "olursa", "gelirse", "kırılırsa", "eğer", "eger"]),
    (Tr, C::Advice, &["unutmayın"]),

    // --- Hinglish (Hindi in Latin letters, with English trading words)
    (Hi, C::Cancel, &["hata do", "hatao", "hata dijiye"]),
    (Hi, C::Close, &["out ho jao", "bahar niklo", "bahar nikal jao", "bahar nikal lo"]),
    (Hi, C::Close, &["band karo", "band kar do", "band kar lo", "band kardo", "nikal jao",
        "nikal lo", "exit karo", "close karo", "close kar do"]),
    (Hi, BUY, &["kharido", "khareedo", "buy karo", "le lo"]),
    (Hi, SELL, &["becho", "bech do", "sell karo"]),
    (Hi, C::Take, &["profit le lo", "profit lelo", "profit nikal lo", "book karo", "book kar lo", "book kar do"]),
    (Hi, C::Half, &["aadha", "adha", "aadhi", "aadhe"]),
    (Hi, C::Partial, &["thoda", "thodi", "thoda sa", "kuch"]),
    (Hi, C::All, &["sab", "saare", "sare", "poora", "pura"]),
    (Hi, C::Market, &["abhi", "turant", "jaldi"]),
    (Hi, C::Rest, &["yahan", "yaha", "idhar", "baaki", "baki", "bacha hua"]),
    (Hi, C::To, &["ko", "pe", "par"]),
    (Hi, C::Move, &["rakh do", "rakho", "rakh", "kar do", "kardo", "kar lo", "laga do", "lagao",
        "shift karo"]),
    (Hi, C::New, &["naya", "nayi"]),
    (Hi, C::Result, &["chala", "chal gaya", "ہٹ", "ہوگیا", "ہو گیا"]),
    (Hi, C::Pips, &["پپس", "پوائنٹس"]),
    (Hi, C::Negation, &["mat", "nahi", "nahin"]),
    (Hi, C::Invalid, &["cancel ho gaya", "cancel ho gya", "cancel hai"]),
    (Hi, C::Condition, &["agar"]),
    (Hi, C::Hedge, &["shayad", "intezaar", "wait karo"]),

    // --- German
    (De, BUY, &["käufe", "kaeufe", "kaufen", "kauf", "kaufe"]),
    (De, SELL, &["verkäufe", "verkaeufe", "verkaufen", "verkauf", "verkaufe"]),
    (De, BULL, &["bullisch"]),
    (De, BEAR, &["bärisch", "baerisch"]),
    (De, C::Direction, &["richtung"]),
    (De, C::Stop, &["stopp"]),
    (De, C::Ignore, &["unterstützung", "widerstand"]),
    (De, C::Tp, &["ziel", "ziele", "kursziel", "kursziele"]),
    (De, C::Entry, &["ek", "einstiegskurs", "einstieg", "einstiegspreis", "einstiegs"]),
    (De, C::EntryWeak, &["bei", "ab", "zone", "preis", "bereich"]),
    (De, C::To, &["auf", "zu"]),
    (De, C::Market, &["jetzt", "sofort", "markt"]),
    (De, C::Pips, &["punkte"]),
    (De, C::Breakeven, &["einstand"]),
    (De, C::Move, &["runter", "hoch", "rauf", "nachziehen wir", "setze", "ziehe", "verschiebe", "verschieben wir", "ziehen wir", "verschieben", "verschiebt", "setzen", "setzt", "nachziehen", "ziehen"]),
    (De, C::New, &["neu", "neuer", "neues", "neuen", "neue"]),
    (De, C::Close, &["glattgestellt", "glattstellen", "raus", "vom tisch", "schließen", "schliessen", "schließt", "schliesst", "schließe"]),
    (De, C::Cancel, &["lösche", "loesche", "stornieren", "storniert", "löschen", "streichen"]),
    (De, C::Partial, &["teilweise", "teil", "teilgewinne", "teilgewinn"]),
    (De, C::Half, &["hälfte", "haelfte"]),
    (De, C::All, &["alle", "alles"]),
    (De, C::Object, &["position", "positionen", "trade"]),
    (De, C::Result, &["beispiel", "ergebnis", "gestern", "abgesagt", "storniert", "erreicht", "getroffen", "geschlossen", "glückwunsch", "erinnerung", "läuft noch"]),
    (De, C::Hedge, &["analyse", "vielleicht", "möglich", "warten", "bald"]),
    (De, C::Promo, &["rabatt", "angebot", "abonnieren", "beitreten"]),
    (De, C::Negation, &["nicht", "kein", "keine", "keinen", "keinem", "keiner"]),
    (De, C::Invalid, &["abgelaufen", "ungültig", "nicht mehr gültig"]),
    (De, C::Condition, &["wenn", "falls"]),
    (De, C::Advice, &["immer"]),

    // --- Italian
    (It, BUY, &["compra", "comprare", "acquista", "acquisto"]),
    (It, SELL, &["vendi", "vendita", "vendere"]),
    (It, BULL, &["rialzista"]),
    (It, BEAR, &["ribassista"]),
    (It, C::Direction, &["direzione"]),
    (It, C::Tp, &["obiettivo", "obiettivi", "presa di profitto"]),
    (It, C::Entry, &["ingresso", "entrata"]),
    (It, C::EntryWeak, &["zona", "prezzo"]),
    (It, C::Market, &["ora", "adesso", "subito", "mercato"]),
    (It, C::Pips, &["punti"]),
    (It, C::Breakeven, &["pareggio", "in pari", "a pari"]),
    (It, C::Move, &["sposta", "spostare", "spostate", "metti", "mettete", "imposta"]),
    (It, C::New, &["nuovo", "nuova", "nuovi", "nuove"]),
    (It, C::Close, &["chiudere", "chiudete", "chiudi", "chiudiamo"]),
    (It, C::Cancel, &["annullare", "annullato", "annullata", "cancella"]),
    (It, C::Partial, &["parziale", "parziali"]),
    (It, C::Half, &["metà", "meta'"]),
    (It, C::All, &["tutto", "tutti", "tutte"]),
    (It, C::Object, &["posizione", "posizioni", "operazione"]),
    (It, C::OrderWord, &["ordine", "ordini", "pendente", "segnale"]),
    (It, C::Result, &["raggiunto", "colpito", "chiuso", "chiusa", "preso"]),
    (It, C::Hedge, &["analisi", "forse", "possibile", "aspettiamo", "preparatevi", "presto"]),
    (It, C::Promo, &["iscriviti", "sconto", "offerta", "unisciti"]),
    (It, C::Negation, &["non"]),
    (It, C::Advice, &["sempre", "ricordate"]),
    (It, C::Move, &["spostiamo", "sposto", "alziamo", "abbassiamo", "portiamo", "porta", "modifico", "modifichiamo"]),
    (It, C::Update, &["spostato", "spostata", "aggiornato", "aggiornata", "aggiornati", "aggiornamento", "modificato", "portato", "portata", "portati"]),
    (It, C::Close, &["chiusura", "chiudo", "usciamo", "esco"]),
    (It, C::Take, &["incassiamo", "incassa", "prendiamo", "prendete", "mettiamo al sicuro"]),
    (It, C::Condition, &["quando", "domani"]),
    (It, C::Invalid, &["non più valido", "scaduto"]),

    // --- Corrections of a level just posted ("Correction: SL is 4091, not 4019")
    (En, C::Update, &["typo", "fix", "fixed", "lowered", "raised"]),
    (Es, C::Update, &["corrección", "correccion", "corrijo", "corregido"]),
    (Pt, C::Update, &["corrigindo", "correção", "correcao", "corrigido"]),
    (Fr, C::Update, &["correction", "rectification", "rectifié"]),
    (Ru, C::Update, &["исправление", "поправка", "исправил"]),
    (Uk, C::Update, &["виправлення"]),
    (Ar, C::Update, &["تصحيح", "تعديل"]),
    (Fa, C::Update, &["اصلاحیه", "اصلاح"]),
    (Pl, C::Update, &["korekta", "poprawka", "zmiana", "modyfikacja", "aktualizuję", "aktualizujemy"]),
    (Tr, C::Update, &["düzeltme", "düzeltiyorum"]),
    (De, C::Update, &["korrektur", "korrigiert", "angepasst"]),
    (It, C::Update, &["correzione", "corretto", "modifica", "modifiche", "aggiorno", "aggiorniamo"]),
    (Hi, C::Update, &["galti", "sudhar"]),

    // --- Another channel's signal, quoted: never ours to take
    (En, C::Foreign, &["not ours", "not our signal", "not our trade", "not our call", "we do not follow", "we don't follow", "we dont follow", "not following this", "we do not trade this", "we don't trade this", "just sharing", "forwarded from", "fwd from", "another guru", "other guru", "fake channel", "fake channels", "impersonating", "impersonators", "scammers", "scam", "scam alert", "not from us", "another channel", "other channel", "other group", "another group", "fake signal"]),
    (Es, C::Foreign, &["grupos falsos", "grupo falso", "no es nuestra", "señal falsa", "canales falsos", "canal falso", "no la seguimos", "no lo seguimos", "reenviado de", "no es nuestro", "otro canal"]),
    (Pt, C::Foreign, &["golpistas", "grupos falsos", "não é nosso", "sinal falso", "canais falsos", "canal falso", "não é nossa", "outro canal", "outro grupo"]),
    (Fr, C::Foreign, &["pas de nous", "pas notre signal", "nous ne suivons pas", "on ne le suit pas", "autre canal"]),
    (Pl, C::Foreign, &["innego kanału", "inny kanał", "innej grupy", "fałszywy kanał", "fałszywe kanały"]),
    (De, C::Foreign, &["nicht von uns", "anderer kanal", "anderen kanal"]),
    (It, C::Foreign, &["non è nostro", "altro canale"]),
    (Ru, C::Foreign, &["фейк", "мошенники", "не наш", "не торгуем", "в чужом канале", "чужой канал", "чужого канала", "переслано из", "не наша", "не наше", "другой канал", "другого канала"]),
    (Tr, C::Foreign, &["sahte kanal", "sahte kanallara", "sahte kanallar", "dolandırıcı", "bizimle ilgili değil", "bizim değil", "başka kanal", "başka kanalın"]),
    (Ar, C::Foreign, &["المزيفة", "مزيفة", "ليست توصيتنا", "ليست منا", "لا نتبعها", "لسنا فيها", "ليس منا", "قناة أخرى"]),
    (Fa, C::Foreign, &["مال ما نیست", "سیگنال ما نیست", "کانال دیگر"]),
    (Id, C::Foreign, &["bukan dari kami", "bukan sinyal kami", "kami tidak ikut", "grup lain", "channel lain"]),
    (Hi, C::Foreign, &["hamara nahi", "dusre channel", "doosre channel"]),

    // --- Examples and lessons, in the other languages
    (It, C::Result, &["esempio"]),
    (Pl, C::Result, &["przykład", "przyklad", "przypominam", "przypomnienie", "zaliczony", "zaliczone", "zaliczona"]),
    (Nl, C::Result, &["voorbeeld"]),
    (Ro, C::Result, &["exemplu"]),
    (Id, C::Result, &["contoh", "testimoni", "edukasi", "misalnya"]),
    (Vi, C::Result, &["ví dụ"]),
    (Fa, C::Result, &["مثال", "نمونه", "یادآوری"]),
    (Ru, C::Result, &["например"]),
    (Uk, C::Result, &["приклад"]),
    (Zh, C::Result, &["例如", "示例", "举例", "舉例"]),
    (Hi, C::Result, &["udaharan", "example ke liye"]),
    (Sw, C::Result, &["mfano"]),

    // --- "When", "as soon as", in the other languages: an instruction for later
    (Es, C::Condition, &["cuando", "una vez que", "en cuanto"]),
    (Pt, C::Condition, &["assim que"]),
    (Fr, C::Condition, &["quand", "lorsque", "dès que", "une fois que"]),
    (De, C::Condition, &["sobald", "nachdem"]),
    (It, C::Condition, &["appena", "una volta che"]),
    (Ru, C::Condition, &["когда", "как только"]),
    (Uk, C::Condition, &["як тільки"]),
    (Ar, C::Condition, &["عندما", "حين", "لما", "عند تحقيق", "عند وصول", "عند ضرب", "بعد تحقيق"]),
    (Fa, C::Condition, &["وقتی", "هر وقت", "زمانی که"]),
    (Tr, C::Condition, &["olunca", "gelince", "değince", "ulaşınca", "vurunca"]),
    (Hi, C::Condition, &["jab", "jaise hi"]),
    (Pl, C::Condition, &["kiedy", "gdy", "jak tylko"]),
    (Id, C::Condition, &["saat", "setelah", "begitu"]),
    (Ro, C::Condition, &["după ce"]),
    (Sw, C::Condition, &["ikifika"]),

    // --- Leaving a trade, the rest of it, shares, in more words
    (Es, C::Close, &["salgan", "salid", "salimos"]),
    (Pt, C::Close, &["saiam", "saia", "saímos", "fora"]),
    (Pt, C::Rest, &["restante", "também"]),
    (Tr, C::Rest, &["siz de"]),
    (Fa, C::Close, &["خارج بشید", "خارج شید", "خارج بشین"]),
    (Fa, C::Rest, &["باقی مانده", "باقیمانده", "بقیه"]),
    (Fa, C::Partial, &["یه مقدار", "مقداری"]),
    (Ar, C::Take, &["جني"]),
    (Tr, C::Close, &["çıkın", "çıkalım", "çıkıyoruz"]),
    (De, C::Close, &["rausnehmen", "nehmen raus", "raus aus", "bin raus"]),
    (De, C::Rest, &["restposition", "rest", "ihr auch"]),
    (It, C::Close, &["uscite", "fuori"]),
    (It, C::Cancel, &["annullate", "annulliamo"]),
    (It, C::Partial, &["un po'"]),
    (Fr, C::Rest, &["reste", "le reste"]),
    (Fr, C::Close, &["sortez", "sortons", "on sort"]),
    (Pl, SELL, &["shorty", "shorta", "shorcie", "shortem"]),
    (Pl, BUY, &["longi", "longa", "longu", "longiem"]),
    (Pl, C::Close, &["wychodzimy", "wyjdźcie", "wychodźcie"]),
    (Pl, C::Take, &["realizujemy", "realizujcie"]),
    (Pl, C::Partial, &["częściowy", "częściową"]),
    (Hi, C::Condition, &["kar dunga", "kar denge", "karunga", "karenge"]),

    // --- Reports and plans the sixth set's false opens were written in
    (Hi, C::Result, &["pohanch gaya", "pahunch gaya", "pohonch gaya", "hit ho gaya", "lag gaya"]),
    (Vi, C::Result, &["đang lãi", "lãi", "lời", "giữ lệnh"]),
    (Tr, C::Condition, &["kalırsa", "kalirsa", "tutunursa", "düşerse", "çıkarsa", "kırmazsa"]),
    (Tr, C::Hedge, &["bekle", "bekleyin", "arayacağız", "bakacağız", "şimdilik"]),

    (Ru, C::Cancel, &["снимаю", "отменяю"]),
    (Pl, C::Condition, &["jak wejdzie", "gdy wejdzie", "jak dojdzie", "gdy dojdzie"]),
    (Ru, C::Close, &["выйти", "выходите", "режем", "режу"]),
    (Ru, C::Object, &["позиций"]),
    (Es, C::Result, &["tocó", "toco"]),
    (Tr, C::Partial, &["biraz"]),
    (Tr, C::All, &["tüm"]),
    (Tr, C::Object, &["işlemleri"]),
    (Tr, C::Move, &["çekilsin", "taşınsın", "taşıyalım", "yükseltiyoruz", "yükseltin"]),
    (De, C::Open, &["halten"]),
    (Tr, C::Stop, &["stopları", "stoplari", "stoplarınızı", "stoplarinizi", "stopunuzu", "stoplarımızı"]),
    (Tr, C::Partial, &["bir kısmını", "kısmını", "bir kısım"]),
    (Fa, C::Partial, &["کمی"]),

    // --- Urdu in its own script (beside Roman Urdu above)
    (Hi, SELL, &["سیل", "فروخت کریں"]),
    (Hi, BUY, &["بائے", "خرید"]),
    (Hi, C::Sl, &["ایس ایل", "سٹاپ لاس", "اسٹاپ لاس"]),
    (Hi, C::Stop, &["سٹاپ", "اسٹاپ"]),
    (Hi, C::Tp, &["ٹی پی", "ٹارگٹ", "ٹارگٹس", "ٹیک پرافٹ", "ہدف"]),
    (Hi, C::Limit, &["لمٹ", "لیمٹ"]),
    (Hi, C::Stop, &["سٹاپ", "اسٹاپ"]),
    (Hi, C::Entry, &["انٹری", "এন্ট্রি"]),
    (Hi, C::Sl, &["স্টপ লস", "স্টপলস"]),
    (Hi, C::Tp, &["টার্গেট", "টেক প্রফিট"]),
    (Hi, BUY, &["লং", "কিনুন"]),
    (Hi, SELL, &["শর্ট", "বিক্রি"]),
    (Hi, C::Close, &["کلوز", "کلوز کر دیں", "کلوز کریں", "ক্লোজ", "ক্লোজ করুন", "বন্ধ করুন"]),
    (Hi, C::Limit, &["লিমিট"]),
    (Hi, C::Take, &["বুক করুন", "প্রফিট বুক করুন"]),
    (Hi, C::Breakeven, &["بریک ایون", "رسک فری", "रिस्क फ्री"]),
    (Hi, C::Move, &["शिफ्ट कर दें", "कर लें", "कर दें"]),
    (Hi, C::Close, &["बंद कर दें", "बंद करें"]),
    (Hi, C::Half, &["आधा", "आधी"]),
    (Hi, C::All, &["सारे", "सभी"]),
    (Hi, C::Take, &["बुक कर लें", "बुक करें"]),
    (Hi, C::To, &["پر", "تک"]),
    (Hi, C::Close, &["بند"]),
    (Hi, C::Cancel, &["کینسل"]),
    (Hi, C::Half, &["آدھی"]),
    (Hi, C::All, &["تمام"]),
    (Hi, C::Rest, &["باقی"]),
    (Hi, C::New, &["نیا", "نئی"]),
    (Hi, C::Move, &["لے جائیں", "کر دیں"]),
    (Hi, C::Object, &["پوزیشن", "ٹریڈ", "ٹریڈز"]),

    // --- Greek
    (El, BUY, &["αγορά", "αγορα", "αγοράστε"]),
    (El, SELL, &["πώληση", "πωληση", "πουλήστε"]),
    (El, C::Tp, &["στόχος", "στοχος", "στόχοι", "στοχοι", "στόχων", "στόχους"]),
    (El, C::Sl, &["στοπ"]),
    (El, C::Entry, &["είσοδος", "εισόδου", "τιμή εισόδου"]),
    (El, C::To, &["στην", "στο", "σε"]),
    (El, C::Move, &["μεταφέρετε", "μετακινήστε", "μεταφέρουμε", "αλλαγή"]),
    (El, C::New, &["νέος", "νέα", "νέο"]),
    (El, C::Close, &["κλείστε", "κλείνουμε", "κλείσιμο"]),
    (El, C::Cancel, &["ακυρώστε", "ακύρωση"]),
    (El, C::Take, &["κατοχυρώστε", "κατοχυρώνουμε"]),
    (El, C::Partial, &["μέρος", "μερικό"]),
    (El, C::Half, &["μισό", "μισή"]),
    (El, C::All, &["όλες", "όλα", "όλη"]),
    (El, C::Object, &["θέσης", "θέση", "θέσεις"]),
    (El, C::Market, &["τώρα"]),
    (El, C::Negation, &["μην", "όχι", "δεν"]),
    (El, C::Condition, &["αν", "όταν"]),
    (El, C::Result, &["χθες", "αποτέλεσμα", "χτύπησε", "έπιασε", "πιάσαμε"]),
    (El, C::Pips, &["μονάδες", "πιπς"]),
    (Ko, C::Pips, &["핍", "포인트"]),

    // --- Czech
    // --- Kazakh (written beside Russian in the same channels)
    (Kk, BUY, &["сатып аламыз", "сатып алу", "сатып ал", "сатып алыңыз", "алу"]),
    (Kk, SELL, &["сатамыз", "сату", "сатыңыз", "сат"]),
    (Kk, C::Entry, &["кіру", "кіру аймағы", "кіреміз"]),
    (Kk, C::Sl, &["стопты", "стоп-лосс", "шығын шегі"]),
    (Kk, C::Tp, &["мақсат", "мақсаттар", "мақсатқа", "тейкті", "тейкке"]),
    (Kk, C::Move, &["ауыстырамыз", "ауыстырыңыз", "жылжытамыз", "жылжытыңыз", "көтереміз", "түсіреміз"]),
    (Kk, C::Breakeven, &["безубытокқа", "шығынсыз", "кіру нүктесіне"]),
    (Kk, C::Close, &["жабамыз", "жабыңыз", "жабыңыздар", "жабу", "шығамыз"]),
    (Kk, C::Cancel, &["алып тастаңыздар", "алып тастаңыз", "алып тастаймыз", "өшіріңіз", "жойыңыз"]),
    (Kk, C::Limit, &["лимитті", "лимит"]),
    (Kk, C::Half, &["жартысын", "жартысы"]),
    (Kk, C::All, &["барлығын", "бәрін", "толық"]),
    (Kk, C::Market, &["қазір", "нарықтан"]),
    (Kk, C::Result, &["жетті", "түсті", "нәтиже", "кеше"]),
    (Kk, C::Negation, &["емес", "жоқ"]),
    (Kk, C::Condition, &["егер"]),
    (Cs, BUY, &["nákup", "nakup", "kupujeme", "koupit"]),
    (Cs, SELL, &["prodej", "prodáváme", "prodat"]),
    (Cs, C::Tp, &["cíl", "cíle", "cil"]),
    (Cs, C::Entry, &["vstup", "vstupu"]),
    (Cs, C::Close, &["zavřete", "zavíráme", "uzavřete", "zavřít", "zavrit"]),
    (Cs, C::Take, &["zajistit", "zajistěte"]),
    (Cs, C::Object, &["pozice", "pozici"]),
    (Cs, C::Cancel, &["zrušte", "rušíme"]),
    (Cs, C::Move, &["posuňte", "posouváme", "přesuňte"]),
    (Cs, C::New, &["nový", "nová"]),
    (Cs, C::Half, &["polovinu", "polovina"]),
    (Cs, C::Partial, &["část", "částečně"]),
    (Cs, C::All, &["vše", "všechny"]),
    (Cs, C::Market, &["nyní", "teď"]),

    // --- More Korean and Vietnamese forms
    (Ko, C::Breakeven, &["본절로"]),
    (Ko, C::Close, &["청산합니다", "청산하세요", "익절하세요", "익절합니다", "정리하세요", "탈출합니다", "마무리"]),
    (Ko, C::Object, &["물량"]),
    (Ko, C::Cancel, &["취소합니다", "취소하세요"]),
    (Ko, C::Move, &["이동하세요", "이동합니다"]),
    (Ko, C::OrderWord, &["주문"]),
    (Vi, C::Close, &["cắt lệnh"]),

    // --- More words of the languages above
    (Es, C::All, &["completo", "completa", "totalidad"]),
    (Pt, C::All, &["totalidade", "inteiro", "inteira"]),
    (Fr, C::All, &["totalité", "totalite", "intégralité", "complètement"]),
    (Fr, C::Close, &["coupe", "coupons", "coupez", "solde", "soldons"]),
    (De, C::All, &["komplett", "vollständig", "ganz", "gesamte", "gesamten"]),
    (De, C::Move, &["anpassen", "passen", "senken", "anheben"]),
    (De, C::Close, &["alles zu", "alle zu", "zumachen"]),
    (Es, C::Rest, &["resto", "lo que queda", "también"]),
    (Pt, C::Rest, &["resto"]),
    (De, C::Take, &["nehmt", "sichern", "sichere", "sichert", "mitnehmen", "nehmen", "nehme", "nimm"]),
    (Ru, C::Move, &["обновляем", "подтягиваем", "подтягиваю", "подтянуть", "подтяните", "двигаем"]),

    // --- Dutch
    (Nl, BUY, &["koop", "kopen", "kopen we", "aankoop", "kooporder"]),
    (Nl, SELL, &["verkoop", "verkopen", "verkopen we", "verkooporder"]),
    (Nl, C::Limit, &["limiet"]),
    (Nl, C::Tp, &["doel", "doelen", "koersdoel", "koersdoelen", "winstdoel"]),
    (Nl, C::Entry, &["instap", "instapprijs", "instappunt", "instapniveau", "ingang"]),
    (Nl, C::EntryWeak, &["vanaf", "prijs", "bij"]),
    (Nl, C::To, &["naar"]),
    (Nl, C::Market, &["direct", "meteen", "markt"]),
    (Nl, C::Pips, &["punten"]),
    (Nl, C::Ignore, &["steun", "weerstand"]),
    (Nl, C::Breakeven, &["zonder risico", "risicovrij"]),
    (Nl, C::Move, &["verplaats", "verplaatsen", "verplaatsen we", "zet", "zetten", "trek", "trekken", "schuif", "schuiven", "aanpassen", "verhogen", "verlagen"]),
    (Nl, C::New, &["nieuw", "nieuwe"]),
    (Nl, C::Update, &["verplaatst", "aangepast", "gewijzigd", "verhoogd", "aanpassing", "wijziging", "update"]),
    (Nl, C::Close, &["nu sluiten", "sluit", "sluiten", "sluiten we", "eruit", "winst nemen", "neem winst"]),
    (Nl, C::Cancel, &["annuleer", "annuleren", "verwijder", "verwijderen", "schrappen"]),
    (Nl, C::Take, &["neem", "nemen", "pak", "pakken", "veiligstellen"]),
    (Nl, C::Partial, &["gedeeltelijk", "deel", "beetje", "stukje"]),
    (Nl, C::Half, &["helft"]),
    (Nl, C::All, &["alles", "alle", "volledig", "helemaal", "geheel"]),
    (Nl, C::Object, &["positie", "posities"]),
    (Nl, C::OrderWord, &["signaal"]),
    (Nl, C::Result, &["geraakt", "bereikt", "gesloten", "resultaat", "gisteren", "gewonnen", "geannuleerd"]),
    (Nl, C::Hedge, &["analyse", "misschien", "wachten", "wacht", "mogelijk", "binnenkort"]),
    (Nl, C::Promo, &["korting", "aanbieding", "abonneer", "word lid"]),
    (Nl, C::Negation, &["niet", "geen"]),
    (Nl, C::Invalid, &["niet meer geldig", "ongeldig", "verlopen"]),
    (Nl, C::Condition, &["als", "wanneer", "zodra"]),
    (Nl, C::Advice, &["altijd"]),

    // --- Romanian
    (Ro, BUY, &["cumpărare", "cumparare", "cumpără", "cumpara", "cumpărăm", "cumparam"]),
    (Ro, SELL, &["vânzare", "vanzare", "vinde", "vindem", "vânzări"]),
    (Ro, C::Limit, &["limită", "limita"]),
    (Ro, C::Tp, &["obiectiv", "obiective", "țintă", "ținta", "tinta", "ținte"]),
    (Ro, C::Entry, &["intrare", "intrarea", "preț de intrare", "pret de intrare"]),
    (Ro, C::EntryWeak, &["preț", "pret", "zona"]),
    (Ro, C::To, &["la"]),
    (Ro, C::Market, &["acum", "imediat", "piață", "piata"]),
    (Ro, C::Pips, &["puncte"]),
    (Ro, C::Ignore, &["suport", "rezistență", "rezistenta"]),
    (Ro, C::Breakeven, &["fără risc", "fara risc"]),
    (Ro, C::Move, &["mutăm", "mutam", "mutați", "mutati", "mută", "muta", "ajustăm", "setăm", "setati", "ridicăm", "ridicam"]),
    (Ro, C::New, &["nou", "noua", "nouă", "noi"]),
    (Ro, C::Update, &["mutat", "ajustat", "modificat", "actualizat", "modificare", "actualizare", "actualizăm"]),
    (Ro, C::Close, &["ieșiți", "iesiti", "închidem", "inchidem", "închideți", "inchideti", "închide", "inchide", "ieșim", "iesim"]),
    (Ro, C::Cancel, &["anulăm", "anulam", "anulați", "anulati", "ștergem"]),
    (Ro, C::Take, &["luăm", "luam", "securizăm", "securizam"]),
    (Ro, C::Partial, &["parțial", "partial", "o parte"]),
    (Ro, C::Half, &["jumătate", "jumatate"]),
    (Ro, C::All, &["tot", "toate", "complet", "integral"]),
    (Ro, C::Object, &["poziție", "poziția", "pozitie", "pozitia", "poziții", "tranzacție", "tranzactie", "tranzacția"]),
    (Ro, C::OrderWord, &["ordin", "ordinul", "semnal", "semnalul"]),
    (Ro, C::Result, &["atins", "atinsă", "închis", "închisă", "rezultat", "ieri", "anulat"]),
    (Ro, C::Hedge, &["analiză", "analiza", "poate", "așteptăm", "asteptam"]),
    (Ro, C::Promo, &["abonează", "reducere", "ofertă"]),
    (Ro, C::Negation, &["nu"]),
    (Ro, C::Condition, &["dacă", "daca", "când", "cand", "mâine"]),
    (Ro, C::Advice, &["mereu", "întotdeauna"]),

    // --- Ukrainian (the words Russian does not share)
    (Uk, BUY, &["купівля", "купуємо", "купуй", "купуйте", "купую"]),
    (Uk, SELL, &["продаж", "продаємо", "продавайте", "продаю"]),
    (Uk, C::Tp, &["ціль", "цілі"]),
    (Uk, C::Entry, &["вхід", "точка входу"]),
    (Uk, C::Breakeven, &["беззбиток", "беззбитку", "точку входу"]),
    (Uk, C::Move, &["переносимо", "переставляємо", "пересуваємо", "підтягуємо", "ставимо"]),
    (Uk, C::New, &["новий", "нова", "нові"]),
    (Uk, C::Close, &["закриваємо", "закрити", "закриваю", "закрийте", "виходимо"]),
    (Uk, C::Take, &["фіксуємо", "фіксую", "зафіксувати"]),
    (Uk, C::Partial, &["частину", "частково"]),
    (Uk, C::All, &["усе", "усі", "всі"]),
    (Uk, C::Market, &["зараз"]),
    (Uk, C::Cancel, &["скасовуємо", "скасувати", "скасовано"]),
    (Uk, C::Result, &["досягнуто", "закрито", "результат", "вчора"]),
    (Uk, C::Hedge, &["аналіз", "можливо", "чекаємо"]),
    (Uk, C::Condition, &["якщо", "коли"]),

    // --- Indonesian and Malay
    (Id, BUY, &["beli", "membeli", "pembelian"]),
    (Id, SELL, &["jual", "menjual", "penjualan"]),
    (Id, C::Tp, &["sasaran", "ambil untung"]),
    (Id, C::Entry, &["masuk", "entri", "harga masuk", "titik masuk"]),
    (Id, C::EntryWeak, &["harga", "di"]),
    (Id, C::To, &["ke", "kepada"]),
    (Id, C::Move, &["tukar", "tukarkan"]),
    (Id, C::Market, &["sekarang", "langsung", "segera"]),
    (Id, C::Ignore, &["resisten"]),
    (Id, C::Breakeven, &["impas", "titik impas"]),
    (Id, C::Move, &["turunin", "naikin", "kunci", "diganti", "ganti", "pindahkan", "pindah", "geser", "geserkan", "naikkan", "turunkan", "pasang", "ubah", "naik", "turun", "dinaikkan", "diturunkan"]),
    (Id, C::New, &["baru"]),
    (Id, C::Update, &["dipindah", "dipindahkan", "digeser", "diubah"]),
    (Id, C::Close, &["tutup", "tutuplah", "keluar", "cut loss"]),
    (Id, C::Cancel, &["batal", "batalkan", "hapus", "dibatalkan"]),
    (Id, C::Take, &["ambil", "amankan", "kunci"]),
    (Id, C::Partial, &["sebagian", "sedikit"]),
    (Id, C::Half, &["setengah", "separuh", "separo"]),
    (Id, C::All, &["semua", "semuanya", "seluruh", "seluruhnya", "penuh"]),
    (Id, C::Object, &["posisi"]),
    (Id, C::Rest, &["sisa", "sisanya", "disini", "di sini", "aja", "saja"]),
    (Id, C::Result, &["kena", "tercapai", "tembus", "hasil", "kemarin", "ditutup"]),
    (Id, C::Hedge, &["analisa", "analisis", "tunggu", "mungkin", "pantau"]),
    (Id, C::Promo, &["gabung", "diskon"]),
    (Id, C::Negation, &["jangan", "tidak", "bukan"]),
    (Id, C::Condition, &["jika", "kalau", "bila", "besok"]),

    // --- Vietnamese
    (Vi, BUY, &["mua"]),
    (Vi, SELL, &["bán"]),
    (Vi, C::Sl, &["cắt lỗ", "dừng lỗ", "cat lo"]),
    (Vi, C::Tp, &["chốt lời", "mục tiêu", "chot loi"]),
    (Vi, C::Entry, &["điểm vào", "giá vào", "vào lệnh", "vùng vào"]),
    (Vi, C::EntryWeak, &["giá", "vùng"]),
    (Vi, C::To, &["về", "lên", "xuống"]),
    (Vi, C::Market, &["ngay", "bây giờ", "luôn"]),
    (Vi, C::Breakeven, &["hòa vốn", "hoà vốn", "hoa von"]),
    (Vi, C::Move, &["dời", "kéo", "dịch", "đặt", "chỉnh"]),
    (Vi, C::New, &["mới"]),
    (Vi, C::Close, &["đóng", "đóng lệnh", "chốt", "thoát"]),
    (Vi, C::Cancel, &["hủy", "huỷ", "xóa"]),
    (Vi, C::Partial, &["bớt", "một phần", "một ít"]),
    (Vi, C::Half, &["một nửa", "nửa"]),
    (Vi, C::All, &["tất cả", "toàn bộ", "hết"]),
    (Vi, C::Object, &["lệnh", "vị thế"]),
    (Vi, C::Result, &["đạt", "chạm", "kết quả", "hôm qua"]),
    (Vi, C::Hedge, &["phân tích", "chờ", "có thể"]),
    (Vi, C::Negation, &["không", "đừng", "chưa"]),
    (Vi, C::Condition, &["nếu", "khi", "ngày mai"]),

    // --- Swahili
    (Sw, BUY, &["nunua", "nunueni", "tununue"]),
    (Sw, SELL, &["uza", "uzeni", "tuuze"]),
    (Sw, C::Tp, &["lengo", "malengo"]),
    (Sw, C::Entry, &["kuingia"]),
    (Sw, C::EntryWeak, &["bei"]),
    (Sw, C::To, &["kwenye", "hadi", "mpaka"]),
    (Sw, C::Market, &["sasa", "sasa hivi"]),
    (Sw, C::Move, &["hamisha", "hamisheni", "sogeza", "songeza", "weka", "wekeni"]),
    (Sw, C::New, &["mpya"]),
    (Sw, C::Close, &["funga", "fungeni", "tufunge", "toka", "ifunge"]),
    (Sw, C::Cancel, &["ghairi", "futa", "futeni"]),
    (Sw, C::Take, &["chukua", "chukueni"]),
    (Sw, C::Partial, &["baadhi", "kidogo", "sehemu"]),
    (Sw, C::Half, &["nusu"]),
    (Sw, C::All, &["yote", "zote", "kabisa"]),
    (Sw, C::Result, &["imefika", "imegusa", "matokeo", "jana"]),
    (Sw, C::Hedge, &["uchambuzi", "subiri", "labda"]),
    (Sw, C::Negation, &["hapana", "sio"]),
    (Sw, C::Condition, &["kama", "ikiwa", "kesho"]),

    // --- Filipino (Tagalog and Taglish)
    (Tl, BUY, &["bili", "bumili", "bibili"]),
    (Tl, SELL, &["benta", "magbenta", "ibenta"]),
    (Tl, C::Market, &["ngayon", "agad"]),
    (Tl, C::Move, &["ilipat", "ilagay", "galaw", "igalaw", "taas", "itaas", "baba", "ibaba"]),
    (Tl, C::To, &["sa"]),
    (Tl, C::Close, &["isara", "isarado", "labas na"]),
    (Tl, C::Take, &["kunin", "kuha"]),
    (Tl, C::Partial, &["konti", "kaunti"]),
    (Tl, C::Half, &["kalahati"]),
    (Tl, C::All, &["lahat"]),
    (Tl, C::Result, &["tinamaan", "naabot", "kahapon"]),
    (Tl, C::Hedge, &["hintay", "antay", "baka"]),
    (Tl, C::Negation, &["hindi", "huwag", "wag"]),
    (Tl, C::Condition, &["kung", "kapag", "pag", "bukas"]),

    // --- Thai (written without spaces: see `unspaced`)
    (Th, BUY, &["ซื้อ", "บาย"]),
    (Th, SELL, &["ขาย", "เซล"]),
    (Th, C::Limit, &["ลิมิต"]),
    (Th, C::Sl, &["ตัดขาดทุน", "หยุดขาดทุน", "คัทลอส", "คัตลอส", "เอสแอล"]),
    (Th, C::Tp, &["ทำกำไร", "เป้าหมาย", "เป้า", "ทีพี", "เทคโปรฟิต"]),
    (Th, C::Entry, &["จุดเข้า", "ราคาเข้า", "เข้า"]),
    (Th, C::EntryWeak, &["ที่", "ราคา", "โซน"]),
    (Th, C::To, &["ไปที่", "ไป", "มาที่"]),
    (Th, C::Market, &["ตอนนี้", "ทันที", "เดี๋ยวนี้", "ราคาตลาด"]),
    (Th, C::Pips, &["จุด", "พิป"]),
    (Th, C::Ignore, &["แนวรับ", "แนวต้าน", "ล็อต", "ความเสี่ยง"]),
    (Th, C::Breakeven, &["บังทุน", "เท่าทุน", "คุ้มทุน", "ทุน"]),
    (Th, C::Move, &["เลื่อน", "ขยับ", "ย้าย", "ปรับ", "ตั้ง"]),
    (Th, C::New, &["ใหม่"]),
    (Th, C::Close, &["ปิด"]),
    // "เปิด" (open) holds "ปิด" (close): the cutter must know the longer word.
    (Th, C::NotTicker, &["เปิด", "ตลาดเปิด"]),
    (Th, C::Cancel, &["ยกเลิก"]),
    (Th, C::Take, &["เก็บ", "ล็อค"]),
    (Th, C::Partial, &["บางส่วน", "นิดหน่อย"]),
    (Th, C::Half, &["ครึ่งหนึ่ง", "ครึ่ง"]),
    (Th, C::All, &["ทั้งหมด", "หมด"]),
    (Th, C::Object, &["ไม้", "สถานะ"]),
    (Th, C::OrderWord, &["ออเดอร์", "สัญญาณ"]),
    (Th, C::Rest, &["ที่เหลือ"]),
    (Th, C::Result, &["ชน", "แตะ", "โดน", "ผลลัพธ์", "เมื่อวาน"]),
    (Th, C::Hedge, &["รอ", "วิเคราะห์", "อาจจะ", "อาจ", "เตรียม"]),
    (Th, C::Promo, &["สมัคร", "โปรโมชั่น", "ส่วนลด"]),
    (Th, C::Negation, &["ไม่", "อย่า", "ห้าม"]),
    (Th, C::Condition, &["ถ้า", "หาก", "เมื่อ", "พรุ่งนี้"]),

    // --- Chinese, simplified and traditional (written without spaces)
    (Zh, BUY, &["买入", "买", "做多", "多单", "开多", "買入", "買", "多單", "開多"]),
    (Zh, SELL, &["卖出", "卖", "做空", "空单", "开空", "賣出", "賣", "空單", "開空"]),
    (Zh, C::Limit, &["限价", "挂单", "限價", "掛單"]),
    (Zh, C::Sl, &["止损", "止損", "止损位", "止損位"]),
    (Zh, C::Move, &["下调", "下調", "上调", "上調", "调整为", "調整為"]),
    (Zh, C::To, &["至", "到"]),
    (Zh, C::OrderWord, &["挂单", "掛單"]),
    (Zh, C::Cancel, &["撤销", "撤銷"]),
    (Zh, C::Tp, &["止盈", "目标", "目標", "目标位", "目標位"]),
    (Zh, C::Entry, &["入场", "进场", "入場", "進場", "入场价", "開倉價", "开仓价"]),
    (Zh, C::EntryWeak, &["价格", "價格"]),
    (Zh, C::To, &["到", "至"]),
    (Zh, C::Market, &["现价", "現價", "市价", "市價", "立即", "现在", "現在"]),
    (Zh, C::Pips, &["点", "點"]),
    (Zh, C::Ignore, &["支撑", "支撐", "阻力", "手", "风险", "風險", "平均", "平台", "水平", "平衡", "平稳"]),
    (Zh, C::Breakeven, &["保本", "成本价", "成本價"]),
    (Zh, C::Move, &["移动", "移動", "调整", "調整", "上移", "下移", "设置", "設置"]),
    (Zh, C::New, &["新"]),
    (Zh, C::Close, &["卖掉", "平仓", "平倉", "平掉", "离场", "離場", "出场", "出場", "平"]),
    (Zh, C::Cancel, &["取消", "撤单", "撤單"]),
    (Zh, C::Partial, &["部分", "一部分", "分批"]),
    (Zh, C::Half, &["一半", "半仓", "半倉"]),
    (Zh, C::All, &["全部", "所有"]),
    (Zh, C::Object, &["仓位", "倉位", "持仓", "持倉", "单子", "單子"]),
    (Zh, C::OrderWord, &["订单", "訂單", "信号", "信號"]),
    (Zh, C::Result, &["已经", "已經", "已", "达到", "達到", "触及", "觸及", "打到", "命中", "昨天", "结果", "結果"]),
    (Zh, C::Hedge, &["等待", "分析", "可能", "观察", "觀察", "关注", "關注"]),
    (Zh, C::Promo, &["加入", "会员", "會員", "优惠", "優惠"]),
    (Zh, C::Negation, &["不要", "不", "别", "別", "勿"]),
    (Zh, C::Condition, &["如果", "若", "明天"]),

    // --- Japanese (written without spaces)
    (Ja, BUY, &["買い", "ロング"]),
    (Ja, SELL, &["売り", "ショート"]),
    (Ja, C::Limit, &["指値"]),
    (Ja, C::Stop, &["逆指値"]),
    (Ja, C::Sl, &["損切り", "損切", "ストップロス"]),
    (Ja, C::Tp, &["利確", "利益確定", "ターゲット", "テイクプロフィット"]),
    (Ja, C::Entry, &["エントリー"]),
    (Ja, C::Market, &["成行"]),
    (Ja, C::Breakeven, &["建値", "同値"]),
    (Ja, C::Move, &["変更", "引き上げ", "引き下げ"]),
    (Ja, C::New, &["新規"]),
    (Ja, C::Close, &["決済", "手仕舞い", "クローズ"]),
    (Ja, C::Take, &["利確しておきましょう", "利確しましょう", "利確して"]),
    (Ja, C::Cancel, &["キャンセル", "取り消し", "取消"]),
    (Ja, C::Half, &["半分"]),
    (Ja, C::Partial, &["一部"]),
    (Ja, C::All, &["全て", "すべて"]),
    (Ja, C::Object, &["ポジション"]),
    (Ja, C::Result, &["到達", "ヒット", "達成", "昨日"]),
    (Ja, C::Hedge, &["待ち", "様子見"]),
    (Ja, C::Negation, &["しない", "ません"]),
    (Ja, C::Condition, &["もし", "なら"]),

    // --- Korean
    (Ko, BUY, &["매수", "롱"]),
    (Ko, SELL, &["매도", "숏"]),
    (Ko, C::Limit, &["지정가"]),
    (Ko, C::Sl, &["손절", "손절가", "손절라인"]),
    (Ko, C::Tp, &["목표", "목표가", "익절가", "익절"]),
    (Ko, C::Entry, &["진입", "진입가"]),
    (Ko, C::Market, &["시장가", "지금"]),
    (Ko, C::Breakeven, &["본절"]),
    (Ko, C::Move, &["이동", "변경", "올립니다", "내립니다"]),
    (Ko, C::New, &["새로운", "신규"]),
    (Ko, C::Close, &["청산", "종료"]),
    (Ko, C::Take, &["챙기세요", "챙기기", "챙깁니다"]),
    (Ko, C::Cancel, &["취소"]),
    (Ko, C::Half, &["절반", "반"]),
    (Ko, C::Partial, &["일부", "분할"]),
    (Ko, C::All, &["전량", "전부", "모두"]),
    (Ko, C::Object, &["포지션"]),
    (Ko, C::Result, &["도달", "달성", "어제", "결과"]),
    (Ko, C::Hedge, &["분석", "대기"]),
    (Ko, C::Negation, &["하지"]),
    (Ko, C::Condition, &["만약", "내일"]),

    // --- More Arabic and Persian, and Urdu and Hindi in their own scripts
    (Ar, C::Breakeven, &["تأمين", "تامين"]),
    (Ar, C::Close, &["قفل", "سكر", "اخرج", "اخرجوا", "سكروا", "سكّروا", "اطلعوا", "اطلع"]),
    (Fa, C::Close, &["خروج", "ببندیم", "خارج شوید"]),
    (Hi, BUY, &["خریدیں", "خریدو", "खरीदें", "खरीदो", "खरीद"]),
    (Hi, SELL, &["فروخت", "बेचें", "बेचो", "बेच"]),
    (Hi, C::Sl, &["स्टॉपलॉस", "स्टॉप लॉस", "एसएल"]),
    (Hi, C::Tp, &["टारगेट", "लक्ष्य"]),
    (Hi, C::Entry, &["एंट्री"]),
    (Hi, C::Close, &["بند کریں", "بند کرو", "बंद करें", "बंद करो", "बंद कर दो"]),
    (Hi, C::Half, &["آدھا", "आधा", "आधी"]),
    (Hi, C::All, &["सभी", "सब", "پورا", "سب"]),
    (Hi, C::Market, &["अभी", "ابھی"]),
    (Hi, C::Negation, &["मत", "नहीं", "نہیں", "مت"]),
    (Hi, C::Condition, &["अगर", "اگر"]),

    // --- Roman Urdu (beside the Hinglish above)
    (Hi, C::Close, &["band karen", "band kar dein", "band kar dain", "nikal lein", "nikal jayen", "close karen", "close kar dein"]),
    (Hi, BUY, &["khareed lo", "khareedain", "khareeden", "buy karen"]),
    (Hi, SELL, &["bech dein", "bech dain", "sell karen"]),
    (Hi, C::Move, &["kar rahe hai", "kar rahe hain", "kar dein", "kar dain", "kar lein", "rakh dein", "rakhein", "shift karen"]),
    (Hi, C::Take, &["book karen", "book kar lein"]),
    (Hi, C::Negation, &["na karen", "mat karen"]),
    // --- Session 13: the thinner languages completed by meaning (a vocabulary pass, not
    // tuned to any message).
    (Vi, BUY, &["mua vào", "lệnh mua", "lenh mua"]),
    (Vi, SELL, &["bán ra", "lệnh bán", "lenh ban", "canh bán", "canh ban"]),
    (Vi, C::Sl, &["dung lo", "chặn lỗ", "chan lo"]),
    (Vi, C::Tp, &["chốt lãi", "chot lai", "muc tieu"]),
    (Vi, C::Entry, &["diem vao", "gia vao", "vao lenh", "vung vao"]),
    (Vi, C::Close, &["dong lenh", "thoát lệnh", "thoat lenh", "thoat", "chốt lệnh", "chot lenh", "cat lenh", "đóng hết", "dong het"]),
    (Vi, C::Half, &["mot nua"]),
    (Vi, C::Partial, &["mot phan", "một chút", "mot chut", "mot it"]),
    (Vi, C::All, &["tat ca", "toan bo"]),
    (Vi, C::Move, &["di chuyển", "di chuyen", "điều chỉnh", "dieu chinh", "nâng", "sửa", "chinh"]),
    (Vi, C::Breakeven, &["giá vốn", "gia von", "bảo toàn vốn", "bao toan von", "điểm hòa vốn", "diem hoa von"]),
    (Vi, C::Take, &["khóa lời", "khoá lời", "khoa loi", "khóa lãi"]),
    (Vi, C::Cancel, &["xoa", "xoá", "hủy lệnh", "huỷ lệnh", "huy lenh", "xóa lệnh", "xoá lệnh", "xoa lenh", "bỏ lệnh", "bo lenh", "hủy bỏ"]),
    (Vi, C::Result, &["dính sl", "dinh sl", "dính", "ăn tp", "an tp", "về tp", "đã chạm", "da cham", "đã đạt", "đã chốt", "da chot", "đã đóng", "da dong", "thắng", "ket qua", "hom qua"]),
    (Vi, C::Negation, &["khong", "hông", "khỏi"]),
    (Vi, C::Condition, &["nếu giá", "neu gia", "khi giá", "sau khi", "một khi", "mot khi"]),
    (Vi, C::Market, &["bay gio", "giá hiện tại", "gia hien tai", "giá thị trường", "gia thi truong", "ngay lập tức", "ngay lap tuc", "hiện tại"]),
    (Vi, C::Limit, &["lenh cho"]),
    (Vi, C::Object, &["vi the"]),
    (Vi, C::Rest, &["phần còn lại", "phan con lai", "còn lại", "con lai", "số còn lại"]),
    (Vi, C::New, &["lệnh mới", "lenh moi"]),
    (Vi, C::Update, &["cập nhật", "cap nhat", "đã dời", "da doi", "đã chỉnh", "da chinh", "đã điều chỉnh", "điều chỉnh lại"]),
    (Vi, C::Ignore, &["khoi luong"]),
    (Th, C::Sl, &["สต็อปลอส", "สตอปลอส", "สต๊อปลอส", "จุดคัทลอส"]),
    (Th, C::Stop, &["สต็อป", "สต๊อป", "สตอป"]),
    (Th, C::Tp, &["เทคโปรฟิท", "เทคโปร"]),
    (Th, C::Entry, &["เอ็นทรี่", "เอนทรี่", "เอ็นทรี"]),
    (Th, C::Close, &["คัต"]),
    (Th, C::Half, &["ครึ่งนึง"]),
    (Th, C::Partial, &["ส่วนหนึ่ง"]),
    (Th, C::All, &["ทั้งพอร์ต"]),
    (Th, C::Move, &["เทรล"]),
    (Th, C::Breakeven, &["กันทุน", "ริสก์ฟรี"]),
    (Th, C::Take, &["ล็อก", "เทคกำไร"]),
    (Th, C::Cancel, &["แคนเซิล"]),
    (Th, C::Result, &["ถึงเป้า", "สำเร็จ", "ได้กำไร"]),
    (Th, C::Negation, &["ยังไม่", "ไม่ต้อง", "อย่าเพิ่ง"]),
    (Th, C::Condition, &["หลังจาก", "พอถึง"]),
    (Th, C::Market, &["ราคาปัจจุบัน", "มาร์เก็ต"]),
    (Th, C::Limit, &["ตั้งรอ", "ออเดอร์รอ", "เพนดิ้ง"]),
    (Th, C::Object, &["โพซิชั่น", "โพสิชั่น", "ออร์เดอร์"]),
    (Th, C::Rest, &["ส่วนที่เหลือ"]),
    (Th, C::Update, &["อัปเดต", "อัพเดท", "อัพเดต", "แก้ไข", "ปรับแล้ว", "เลื่อนแล้ว"]),
    (Th, C::Ignore, &["ลอต", "ล๊อต", "ล็อท"]),
    (Ja, SELL, &["売"]),
    (Ja, C::Stop, &["ストップ"]),
    (Ja, C::Tp, &["利食い", "利食", "目標値"]),
    (Ja, C::Entry, &["エントリ"]),
    (Ja, C::Close, &["撤退", "エグジット", "イグジット", "手仕舞"]),
    (Ja, C::Partial, &["分割", "少し"]),
    (Ja, C::Move, &["切り上げ", "切り下げ", "ずらし", "ずらす", "上げ", "下げ"]),
    (Ja, C::Breakeven, &["ブレイクイーブン", "リスクフリー"]),
    (Ja, C::Take, &["利益確保", "確保", "利確します"]),
    (Ja, C::Cancel, &["削除"]),
    (Ja, C::Result, &["獲得", "ゲット", "完了", "タッチ"]),
    (Ja, C::Negation, &["禁止", "しないで"]),
    (Ja, C::Condition, &["場合"]),
    (Ja, C::Market, &["成り行き", "成行き", "現在値", "現値", "今から"]),
    (Ja, C::Limit, &["指し値"]),
    (Ja, C::Object, &["ポジ", "トレード"]),
    (Ja, C::Rest, &["残り"]),
    (Zh, C::Update, &["修改", "调整", "調整", "更新"]),
    (Ja, C::Update, &["修正", "更新", "訂正", "変更しました", "変更"]),
    (Ja, C::Ignore, &["ロット"]),
    (Ko, BUY, &["롱진입", "매수진입", "매수합니다", "매수하세요", "롱으로", "매수로"]),
    (Ko, SELL, &["숏진입", "매도진입", "매도합니다", "매도하세요", "숏으로", "매도로"]),
    (Ko, C::Sl, &["손절선", "스탑로스", "스톱로스", "손절가는", "손절은", "손절라인은"]),
    (Ko, C::Stop, &["스탑", "스톱"]),
    (Ko, C::Tp, &["타겟", "익절라인", "목표가는"]),
    (Ko, C::Entry, &["진입점", "진입구간", "진입가격", "진입가는"]),
    (Ko, C::Close, &["정리합니다", "탈출", "탈출하세요", "종료합니다", "청산해주세요", "정리해주세요", "손절하세요", "손절합니다"]),
    (Ko, C::Half, &["반절", "반익절", "절반만", "절반은"]),
    (Ko, C::Partial, &["부분", "부분익절", "분할익절", "분할청산", "일부만", "조금"]),
    (Ko, C::All, &["전체"]),
    (Ko, C::Move, &["상향", "하향", "조정", "올려주세요", "내려주세요", "옮기세요", "옮겨주세요", "수정하세요"]),
    (Ko, C::Breakeven, &["본전", "본절가", "본절라인", "진입가로"]),
    (Ko, C::Take, &["수익실현", "수익 실현", "챙겨가세요", "챙기시길"]),
    (Ko, C::Cancel, &["삭제", "삭제하세요", "취소해주세요", "취소됩니다"]),
    (Ko, C::Result, &["완료", "적중", "터치", "도달했습니다", "달성했습니다", "청산완료", "익절완료", "손절됨"]),
    (Ko, C::Negation, &["마세요", "금지", "않습니다"]),
    (Ko, C::Condition, &["경우", "도달시", "돌파시", "이탈시"]),
    (Ko, C::Market, &["현재가", "현재가에", "시장가로", "즉시", "바로"]),
    (Ko, C::Limit, &["지정가로", "예약주문"]),
    (Ko, C::Object, &["포지션을", "포지션은"]),
    (Ko, C::Rest, &["나머지", "나머지는", "남은", "잔여", "잔량"]),
    (Ko, C::Update, &["수정", "업데이트", "변경했습니다", "이동했습니다", "상향조정", "변경"]),
    (Ko, C::Ignore, &["랏", "로트"]),
    (Tl, BUY, &["bilhin", "magbuy"]),
    (Tl, SELL, &["magsell"]),
    (Tl, C::Close, &["iclose", "i-close", "alis na"]),
    (Tl, C::Half, &["kalahating"]),
    (Tl, C::Partial, &["konting", "kaunting", "bahagi"]),
    (Tl, C::All, &["buo", "buong"]),
    (Tl, C::Move, &["galawin", "imove", "i-move", "iadjust", "i-adjust", "iset", "i-set"]),
    (Tl, C::Take, &["kuhanin", "kumuha", "isecure", "i-secure"]),
    (Tl, C::Cancel, &["icancel", "i-cancel", "kanselahin", "burahin", "tanggalin", "alisin"]),
    (Tl, C::Result, &["tumama", "natamaan", "nahit", "na-hit", "natp", "na-tp", "nasl", "na-sl", "panalo", "kumita"]),
    (Tl, C::Negation, &["hwag", "hnd", "bawal"]),
    (Tl, C::Condition, &["pagdating", "pagka"]),
    (Tl, C::Market, &["kaagad", "ngayon din"]),
    (Tl, C::Object, &["posisyon"]),
    (Tl, C::Rest, &["natitira", "natitirang", "yung iba"]),
    (Tl, C::New, &["bagong"]),
    (Tl, C::Update, &["inilipat", "nilipat", "binago", "inupdate", "in-update", "na-update", "naupdate", "inadjust", "in-adjust"]),
    (Sw, BUY, &["kununua", "tunanunua", "ununuzi"]),
    (Sw, SELL, &["kuuza", "tunauza", "mauzo"]),
    (Sw, C::Entry, &["ingia", "ingieni", "tuingie"]),
    (Sw, C::Close, &["kufunga", "tokeni", "tutoke", "nimefunga", "tumefunga", "tumetoka", "ondokeni"]),
    (Sw, C::Partial, &["kiasi"]),
    (Sw, C::All, &["kila kitu"]),
    (Sw, C::Move, &["songa", "hamishia", "hamishieni", "pandisha", "shusha", "rekebisha", "badilisha"]),
    (Sw, C::Take, &["tuchukue", "linda"]),
    (Sw, C::Cancel, &["ghairini", "sitisha", "imefutwa", "imeghairiwa", "tumeghairi"]),
    (Sw, C::Result, &["imegonga", "imefikiwa", "imefungwa", "imepiga"]),
    (Sw, C::Negation, &["usinunue", "usiuze", "usiingie", "msiingie"]),
    (Sw, C::Condition, &["ikifikia", "ikigusa", "ikivunja", "endapo", "pindi"]),
    (Sw, C::Market, &["mara moja", "papo hapo", "bei ya sasa", "soko", "bei ya soko"]),
    (Sw, C::Object, &["oda"]),
    (Sw, C::Rest, &["iliyobaki", "zilizobaki", "zilizosalia"]),
    (Sw, C::Update, &["imesogezwa", "imehamishwa", "imebadilishwa", "imerekebishwa", "marekebisho"]),
    (Cs, BUY, &["kupte", "kupuji", "nakupujeme", "nákupní", "nakupni"]),
    (Cs, SELL, &["prodejte", "prodávám", "prodavam", "prodavame", "prodejní", "prodejni"]),
    (Cs, C::Tp, &["cile", "cílů"]),
    (Cs, C::Entry, &["vstupní", "vstupni", "vstupujeme", "vstupni cena"]),
    (Cs, C::Close, &["zavírám", "zaviram", "zavirame", "zavřel jsem", "uzavírám", "uzavíráme", "zavři", "vystupujeme", "vystupte", "uzavřít", "zavrete"]),
    (Cs, C::Half, &["půlku", "pulku", "polovic"]),
    (Cs, C::Partial, &["částečné", "castecne", "trochu"]),
    (Cs, C::All, &["všechno", "vsechno", "vse", "vsechny", "celou", "celé", "kompletně", "kompletne"]),
    (Cs, C::Move, &["posunout", "posouvám", "přesouváme", "přesunout", "posuň", "posunte", "presunte", "upravte", "upravujeme", "nastavte", "zvedáme", "snižujeme"]),
    (Cs, C::Breakeven, &["bez rizika", "bod zvratu", "vstupní cenu"]),
    (Cs, C::Take, &["zajišťujeme", "zajistíme", "realizujeme", "realizujte", "vezměte"]),
    (Cs, C::Cancel, &["zrušit", "zrušeno", "ruším", "storno", "smažte", "mažeme", "zruste", "rusime"]),
    (Cs, C::Result, &["dosažen", "dosaženo", "splněn", "splněno", "zasažen", "uzavřeno", "zavřeno", "výsledek", "vysledek", "včera", "vcera"]),
    (Cs, C::Negation, &["nevstupujte", "nekupujte", "neprodávejte"]),
    (Cs, C::Condition, &["pokud", "jestli", "když", "kdyz", "jakmile"]),
    (Cs, C::Market, &["hned", "ihned", "okamžitě", "okamzite", "ted", "tržní", "trzni"]),
    (Cs, C::Limit, &["limitní", "limitni"]),
    (Cs, C::Object, &["obchod", "obchody", "obchodu", "příkaz", "pokyn"]),
    (Cs, C::Rest, &["zbytek", "zbývající", "zbyvajici", "zbylé"]),
    (Cs, C::New, &["nové", "nove", "novy"]),
    (Cs, C::Update, &["posunuto", "upraveno", "aktualizace", "aktualizováno", "změna", "oprava", "úprava", "uprava", "upravujeme"]),
    (Cs, C::Ignore, &["lotů"]),
    (Uk, BUY, &["купити", "купівлю", "лонгуємо"]),
    (Uk, SELL, &["продати", "продавати", "шортимо"]),
    (Uk, C::Sl, &["стоп лос", "стоплос", "стоп-лос"]),
    (Uk, C::Tp, &["тейк профіт", "тейкпрофіт", "тейк-профіт", "цілей"]),
    (Uk, C::Entry, &["входу", "входимо", "заходимо", "ціна входу"]),
    (Uk, C::Close, &["закривайте", "закрий", "закрив", "закрила", "виходьте", "вийти", "виходжу", "закриваємося"]),
    (Uk, C::Half, &["половини"]),
    (Uk, C::Partial, &["частина", "трохи", "часткове", "часткова"]),
    (Uk, C::All, &["повністю", "цілком", "увесь", "усю"]),
    (Uk, C::Move, &["переносьте", "пересуньте", "переставте", "підтягніть", "підтягую", "піднімаємо", "опускаємо", "ставте", "змінюємо", "коригуємо", "міняємо", "міняю"]),
    (Uk, C::Breakeven, &["беззбитковість"]),
    (Uk, C::Take, &["фіксуйте", "зафіксуйте", "забираємо", "забирайте", "беремо"]),
    (Uk, C::Cancel, &["скасуйте", "скасовую", "видаляємо", "видаліть", "прибираємо", "відміняємо", "відміна"]),
    (Uk, C::Result, &["досягли", "відпрацювала", "відпрацював", "спрацював", "спрацювала", "вибило", "закрилась", "закрилася", "закрився"]),
    (Uk, C::Condition, &["щойно", "після"]),
    (Uk, C::Market, &["негайно", "одразу", "відразу", "ринку", "поточна ціна", "поточної"]),
    (Uk, C::Limit, &["ліміт", "лімітний", "лімітка", "лімітку"]),
    (Uk, C::Object, &["позицію", "угоду", "угода", "угоди", "ордери"]),
    (Uk, C::Rest, &["решту", "решта", "залишок"]),
    (Uk, C::New, &["нову", "нове"]),
    (Uk, C::Update, &["оновлено", "перенесено", "змінено", "скориговано", "оновлення"]),
    (Uk, C::Ignore, &["лоти", "лотів"]),
    (El, BUY, &["αγοράζουμε", "αγοραζουμε", "αγοραστε"]),
    (El, SELL, &["πουλάμε", "πουλαμε", "πουληστε", "πώλησης", "πωλησης"]),
    (El, C::Sl, &["διακοπη ζημιας", "στοπ λος"]),
    (El, C::Tp, &["κατοχύρωση κέρδους", "κατοχυρωση κερδους", "στόχο", "στοχο"]),
    (El, C::Entry, &["εισοδος", "εισοδου", "είσοδο", "εισοδο", "μπαίνουμε", "μπαινουμε"]),
    (El, C::Close, &["κλεισιμο", "κλειστε", "κλεινουμε", "κλείνω", "κλεινω", "έκλεισα", "κλείσε", "βγαίνουμε", "βγαινουμε", "βγείτε", "βγειτε", "έξοδος"]),
    (El, C::Half, &["μισο", "μιση", "μισά"]),
    (El, C::Partial, &["μερικώς", "μερικως", "μερος", "λίγο", "λιγο"]),
    (El, C::All, &["ολα", "ολες", "ολη", "όλο", "ολο", "όλους", "ολόκληρη", "ολοκληρη", "πλήρως", "πληρως"]),
    (El, C::Move, &["μεταφερετε", "μετακινούμε", "ανεβάζουμε", "ανεβαζουμε", "κατεβάζουμε", "κατεβαζουμε", "βάζουμε", "βαζουμε", "βάλτε", "βαλτε", "αλλάζουμε", "ρυθμίστε"]),
    (El, C::Breakeven, &["νεκρό σημείο", "νεκρο σημειο", "χωρίς ρίσκο", "χωρις ρισκο", "μηδενικό ρίσκο"]),
    (El, C::Take, &["κατοχυρωστε", "κλειδώνουμε", "κλειδωνουμε", "κλειδώστε", "πάρτε", "παρτε", "παίρνουμε", "παιρνουμε"]),
    (El, C::Cancel, &["ακυρώνουμε", "ακυρωνουμε", "ακυρωστε", "ακυρωση", "ακυρώθηκε", "διαγράψτε", "σβήστε"]),
    (El, C::Result, &["χτυπησε", "επιασε", "πιάστηκε", "πιαστηκε", "έκλεισε", "εκλεισε", "επιτεύχθηκε"]),
    (El, C::Negation, &["μη", "οχι"]),
    (El, C::Condition, &["εάν", "εαν", "μόλις", "μολις", "οταν"]),
    (El, C::Market, &["τωρα", "άμεσα", "αμεσα", "αμέσως", "αμεσως", "τρέχουσα τιμή", "τρεχουσα τιμη"]),
    (El, C::Limit, &["όριο", "οριο", "λίμιτ"]),
    (El, C::Object, &["θεση", "θεσεις", "θεσης", "συναλλαγή", "συναλλαγη", "συναλλαγές", "εντολή", "εντολη", "εντολές"]),
    (El, C::Rest, &["υπόλοιπο", "υπολοιπο", "υπόλοιπες", "υπολοιπες", "υπόλοιπα", "υπολοιπα"]),
    (El, C::New, &["νεος", "νεα", "νεο"]),
    (El, C::Update, &["ενημέρωση", "ενημερωση", "διόρθωση", "διορθωση", "μεταφέρθηκε", "άλλαξε", "τροποποίηση", "αλλαγή"]),
    (El, C::Ignore, &["λοτ"]),
    (Id, BUY, &["belian"]),
    (Id, C::Sl, &["batas rugi", "henti rugi", "potong rugi"]),
    (Id, C::Tp, &["ambil keuntungan"]),
    (Id, C::Close, &["tutupkan"]),
    (Id, C::Half, &["setengahnya", "separuhnya"]),
    (Id, C::Partial, &["sebahagian", "sebagiannya", "sikit"]),
    (Id, C::All, &["kesemua"]),
    (Id, C::Move, &["naikan", "pindahin", "taruh", "letak", "letakkan", "alihkan"]),
    (Id, C::Breakeven, &["tanpa risiko", "bebas risiko"]),
    (Id, C::Cancel, &["batalin", "hapuskan"]),
    (Id, C::Result, &["tersentuh", "berhasil"]),
    (Id, C::Negation, &["jgn", "tdk", "gak", "nggak", "enggak", "usah"]),
    (Id, C::Condition, &["apabila", "kalo", "klo", "sekiranya", "ketika"]),
    (Id, C::Market, &["skrg", "harga pasar", "harga sekarang", "instan"]),
    (Id, C::Object, &["transaksi", "dagangan"]),
    (Id, C::Rest, &["selebihnya", "bakinya"]),
    (Id, C::Update, &["diperbarui", "diperbaharui", "diupdate", "disesuaikan", "dinaikkan", "diturunkan", "revisi", "koreksi"]),
    (It, BUY, &["compriamo", "comprate", "acquistiamo", "acquisti"]),
    (It, SELL, &["vendiamo", "vendete", "vendo"]),
    (It, C::Tp, &["obbiettivo", "obbiettivi"]),
    (It, C::Entry, &["entriamo", "entrare", "d'ingresso"]),
    (It, C::Close, &["uscire", "esci", "ho chiuso", "abbiamo chiuso"]),
    (It, C::Half, &["mezza", "dimezziamo"]),
    (It, C::Partial, &["parzialmente", "un po", "un pò"]),
    (It, C::All, &["totale", "intera", "intero", "completamente", "tutta"]),
    (It, C::Move, &["alza", "alzate", "abbassa", "abbassate", "mettere", "modifica", "modificate", "aggiustiamo", "portate", "portare"]),
    (It, C::Breakeven, &["senza rischio", "rischio zero"]),
    (It, C::Take, &["incassate", "incassare", "prendere", "mettete al sicuro", "proteggiamo", "portiamo a casa"]),
    (It, C::Cancel, &["annulla", "cancellate", "cancelliamo", "rimuovete", "annullo"]),
    (It, C::Result, &["toccato", "raggiunti", "presi", "incassati", "centrato", "risultato", "stoppati"]),
    (It, C::Negation, &["niente"]),
    (It, C::Condition, &["qualora", "dopo che"]),
    (It, C::Market, &["a mercato", "al mercato", "prezzo attuale", "immediatamente"]),
    (It, C::Object, &["operazioni"]),
    (It, C::Rest, &["rimanente", "rimanenti", "restanti"]),
    (It, C::New, &["nuovi", "nuove"]),
    (It, C::Update, &["aggiornamento", "aggiornata", "modificata"]),
    (It, C::Ignore, &["lotti"]),
    (Pl, BUY, &["kup", "longujemy"]),
    (Pl, SELL, &["shortujemy"]),
    (Pl, C::Tp, &["celu"]),
    (Pl, C::Entry, &["wchodzimy", "wejścia", "wejscia", "wchodzę"]),
    (Pl, C::Close, &["zamknąłem", "zamknalem", "zamykać", "wyjdź", "wychodzę", "wychodze", "zamknijmy"]),
    (Pl, C::Half, &["pół", "połowy"]),
    (Pl, C::Partial, &["część", "trochę", "troche", "kawałek"]),
    (Pl, C::All, &["całość", "calosc", "całą", "cała", "całkowicie", "wszystkich"]),
    (Pl, C::Move, &["podciągamy", "podciągnijcie", "podnieście", "przesuńmy"]),
    (Pl, C::Breakeven, &["bez ryzyka", "cenę wejścia"]),
    (Pl, C::Take, &["zabezpieczamy", "zabezpieczcie", "realizuję", "bierzemy", "weźcie"]),
    (Pl, C::Cancel, &["anulujcie", "usuwamy", "usuwam", "anuluję"]),
    (Pl, C::Result, &["wybity", "zrealizowany", "zrealizowane", "zamknięty", "zamkniety", "wpadło", "wczoraj"]),
    (Pl, C::Condition, &["jezeli"]),
    (Pl, C::Market, &["od razu", "po rynku", "z rynku", "aktualna cena"]),
    (Pl, C::Limit, &["limitowe", "limitem"]),
    (Pl, C::Object, &["pozycji", "transakcja", "transakcje", "transakcji"]),
    (Pl, C::Rest, &["resztę", "reszta", "reszte", "pozostałe", "pozostałą"]),
    (Pl, C::New, &["nową"]),
    (Pl, C::Update, &["przesunięty", "przesunięte", "zmieniony", "aktualizacja", "zaktualizowane"]),
    (Pl, C::Ignore, &["lota", "lotów"]),
    (Hi, BUY, &["kharid lo", "le lijiye", "buy kar lo", "buy kijiye", "কিনে নিন"]),
    (Hi, SELL, &["bech dijiye", "sell kar do", "sell kijiye", "sell kar lo", "বেচে দিন"]),
    (Hi, C::Sl, &["এসএল"]),
    (Hi, C::Tp, &["टीपी", "टेक प्रॉफिट", "টিপি"]),
    (Hi, C::Close, &["exit kar lo", "exit kar do", "close kar lo", "close kardo", "bahar aa jao", "nikal gaye", "close kiya", "निकल जाएं", "क्लोज करें", "क्लोज कर दें", "एग्जिट", "বের হয়ে যান", "ক্লোজ করে দিন", "বন্ধ করে দিন", "এক্সিট", "نکل جائیں", "ایگزٹ"]),
    (Hi, C::Half, &["adhi", "অর্ধেক"]),
    (Hi, C::Partial, &["hissa", "kuch hissa", "थोड़ा", "आंशिक", "আংশিক", "تھوڑا", "حصہ"]),
    (Hi, C::All, &["sabhi", "poori", "पूरा", "पूरी", "सारा", "সব", "সবগুলো", "পুরো", "সম্পূর্ণ", "سارے", "پوری", "سارا"]),
    (Hi, C::Move, &["shift kar do", "shift kardo", "le jao", "kar dijiye", "badal do", "upar karo", "niche karo", "ले जाएं", "शिफ्ट करें", "बदल दें", "সরিয়ে দিন", "শিফট করুন", "শিফট", "شفٹ کریں", "شفٹ کر دیں"]),
    (Hi, C::Breakeven, &["ब्रेकईवन", "ब्रेक ईवन", "ব্রেকইভেন", "রিস্ক ফ্রি"]),
    (Hi, C::Take, &["book kar lijiye", "profit book karein", "प्रॉफिट बुक करें", "बुक करो", "প্রফিট নিন", "প্রফিট নিয়ে নিন", "پرافٹ بک کریں", "بک کریں"]),
    (Hi, C::Cancel, &["cancel karo", "cancel kar do", "delete karo", "hata lo", "hata dein", "कैंसल करें", "रद्द करें", "हटा दें", "বাতিল", "বাতিল করুন", "ক্যানসেল", "منسوخ", "کینسل کریں", "ہٹا دیں"]),
    (Hi, C::Result, &["hit hua", "hit ho gya", "book hua", "profit mein", "हिट", "हिट हो गया", "पहुंच गया", "प्रॉफिट में", "হিট", "হিট হয়েছে", "পৌঁছেছে", "লাভে", "پہنچ گیا"]),
    (Hi, C::Negation, &["nhi", "nai", "نہ", "করবেন না"]),
    (Hi, C::Condition, &["agr", "jab bhi", "जब", "जैसे ही", "যদি", "যখন", "جب", "جیسے ہی"]),
    (Hi, C::Market, &["abi", "तुरंत", "এখন", "এখনই", "current price"]),
    (Hi, C::Limit, &["लिमिट"]),
    (Hi, C::Object, &["पोजीशन", "पोज़िशन", "ट्रेड", "পজিশন", "ট্রেড"]),
    (Hi, C::Rest, &["bache hue", "bachi hui", "बाकी", "बचे हुए", "বাকি", "বাকিটা"]),
    (Hi, C::New, &["नया", "नई", "নতুন"]),
    (Hi, C::Update, &["update kiya", "shift kiya", "अपडेट", "আপডেট", "اپڈیٹ"]),
    (Hi, C::Ignore, &["लॉट", "লট", "لاٹ"]),
];

/// Every word and phrase of the table, as written.
pub(crate) fn table_words() -> impl Iterator<Item = &'static str> {
    TABLE.iter().flat_map(|(_, _, words)| words.iter().copied())
}

/// A phrase after its first word: the following words and the phrase's meaning.
pub(crate) type Phrase = (Vec<Cow<'static, str>>, Class, Lang);

/// A word or phrase to add to the table, cut into its words: the table's own, or a user's.
pub(crate) type Row = (Lang, Class, Vec<Cow<'static, str>>);

/// A word of the vocabulary: its meaning alone, and the phrases it starts.
#[derive(Default)]
struct Entry {
    word: Option<(Class, Lang)>,
    /// The following words of each phrase and its meaning, longest phrase first.
    phrases: Vec<Phrase>,
}

pub(crate) struct Lexicon {
    /// Words and phrase heads in one table, so that most words cost one lookup.
    entries: FastMap<Cow<'static, str>, Entry>,
    heads: Heads,
}

impl Lexicon {
    fn get(&self, word: &str) -> Option<&Entry> {
        if !self.heads.may_hold(word) {
            return None;
        }
        self.entries.get(word)
    }
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| with_rows(Vec::new()));

/// The table alone.
pub(crate) fn built_in() -> &'static Lexicon {
    &LEXICON
}

/// The table with `first` laid over it: earlier rows win, so a word in `first` means what it says
/// there, whatever the table says (and a phrase of `first` is tried before the table's of the
/// same length).
pub(crate) fn with_rows(first: Vec<Row>) -> Lexicon {
    let table = TABLE.iter().flat_map(|&(lang, class, list)| {
        list.iter()
            .map(move |w| (lang, class, w.split(' ').map(folded).collect()))
    });
    let mut entries: FastMap<Cow<'static, str>, Entry> = FastMap::default();
    let first = first.into_iter().map(|(lang, class, words)| {
        let words: Vec<Cow<'static, str>> = words
            .into_iter()
            .map(|w| match folded(&w) {
                Cow::Owned(f) => Cow::Owned(f),
                Cow::Borrowed(_) => w,
            })
            .collect();
        (lang, class, words)
    });
    for (lang, class, words) in first.chain(table) {
        let mut parts = words.into_iter();
        let Some(first) = parts.next() else { continue };
        let rest: Vec<Cow<'static, str>> = parts.collect();
        let entry = entries.entry(first).or_default();
        if rest.is_empty() {
            entry.word.get_or_insert((class, lang));
        } else {
            entry.phrases.push((rest, class, lang));
        }
    }
    for entry in entries.values_mut() {
        entry
            .phrases
            .sort_by_key(|(rest, _, _)| std::cmp::Reverse(rest.len()));
    }
    let heads = Heads::new(entries.keys().map(|k| k.as_ref()));
    Lexicon { entries, heads }
}

/// A word as the lexer compares it: Turkish `ı` is `i`, Greek `ς` is `σ` (see
/// `text::Classes::push_lower`).
fn folded(w: &str) -> Cow<'_, str> {
    if w.contains(['ı', 'ς']) {
        Cow::Owned(w.replace('ı', "i").replace('ς', "σ"))
    } else {
        Cow::Borrowed(w)
    }
}

/// What one lower-case word means alone, and the phrases it may start: as written, behind the
/// Arabic article, or (alone, when `stretched`) with a stretched letter collapsed
/// ("breakevennnn", "closeddd"). `stretched` is [`has_stretch`], which the lexer knows already.
pub(crate) fn lookup<'l>(
    lexicon: &'l Lexicon,
    lower: &str,
    stretched: bool,
) -> (Option<(Class, Lang)>, &'l [Phrase]) {
    let direct = lexicon.get(lower);
    let mut word = direct.and_then(|e| e.word);
    let mut phrases = direct.map_or(&[][..], |e| e.phrases.as_slice());
    // Behind the article, alone or after a proclitic ("الستوب", "والستوب", "للهدف").
    if (word.is_none() || phrases.is_empty())
        && let Some(rest) = ["ال", "وال", "فال", "بال", "كال", "لل"]
            .iter()
            .find_map(|p| lower.strip_prefix(p))
        && !rest.is_empty()
        && let Some(e) = lexicon.get(rest)
    {
        word = word.or(e.word);
        if phrases.is_empty() {
            phrases = &e.phrases;
        }
    }
    if word.is_none() && stretched {
        word = lexicon
            .get(collapse_stretch(lower).as_str())
            .and_then(|e| e.word);
    }
    (word, phrases)
}

/// The meaning of one lower-case word (see [`lookup`]).
pub(crate) fn word(lexicon: &Lexicon, lower: &str) -> Option<(Class, Lang)> {
    lookup(lexicon, lower, has_stretch(lower)).0
}

/// A word in the phrase table's spelling: as written, or behind the Arabic article.
pub(crate) fn phrase_word_matches(want: &str, lower: &str) -> bool {
    want == lower || lower.strip_prefix("ال") == Some(want)
}

/// Three of the same character in a row.
pub(crate) fn has_stretch(s: &str) -> bool {
    let mut run = 0;
    let mut prev = None;
    for c in s.chars() {
        if Some(c) == prev {
            run += 1;
            if run >= 2 {
                return true;
            }
        } else {
            run = 0;
        }
        prev = Some(c);
    }
    false
}

/// Runs of three or more of the same letter become one.
fn collapse_stretch(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut j = i;
        while j < chars.len() && chars[j] == c {
            j += 1;
        }
        let n = if j - i >= 3 { 1 } else { j - i };
        for _ in 0..n {
            out.push(c);
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_in_every_language() {
        assert_eq!(word(built_in(), "buy").map(|w| w.0), Some(BUY));
        assert_eq!(word(built_in(), "шорт").map(|w| w.0), Some(SELL));
        assert_eq!(word(built_in(), "الهدف").map(|w| w.0), Some(C::Tp));
        assert_eq!(
            word(built_in(), "breakevennnnn").map(|w| w.0),
            Some(C::Breakeven)
        );
        assert_eq!(word(built_in(), "closeddd").map(|w| w.0), Some(C::Result));
        assert!(!lookup(built_in(), "stop", false).1.is_empty());
        assert!(!lookup(built_in(), "حد", false).1.is_empty());
        assert!(!lookup(built_in(), "الحد", false).1.is_empty());
    }
}
