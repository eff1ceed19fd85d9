//! The gates an open must pass: not a result, a promotion, a heads-up or a question; a symbol, one
//! side (or levels that show it) and something to act on.

use super::levels::{self, OpenReading, infer_side};
use super::lexicon::Class;
use super::tokens::{Kind, Lexed};
use crate::model::Target;

/// Why a message that is not a follow-up is not an open either, if it is not.
pub(crate) fn not_an_open(text: &str, lexed: &Lexed, r: &OpenReading<'_>) -> Option<String> {
    let word = |class: Class| {
        lexed
            .tokens
            .iter()
            .find(|t| t.class == Some(class))
            .map(|t| text.get(t.start..t.end).unwrap_or("").to_string())
    };
    // A ticket's structure is an open whatever is said around it: commentary, disclaimers and
    // hedges veto only what is not one. What still vetoes a ticket is said about it: a result
    // reported on its own lines ("TP1 hit"), never a word in a paragraph around it.
    let ticket = r.is_ticket();
    let commentary = &r.commentary;
    if let Some(why) = shown(text, lexed) {
        return Some(why);
    }
    // A ticket is a lesson's example only under a lesson's heading word (a 📚 may decorate a
    // channel's real call).
    if let Some(why) = taught(text, ticket) {
        return Some(why);
    }
    if let Some(why) = own_position(text, lexed, r) {
        return Some(why);
    }
    // "Gold Short 4276 → SL ❌ -90 Pips": the stop crossed out, with what it cost, is hit.
    if text.contains('❌')
        && let Some(t) = lexed.tokens.iter().find(|t| {
            matches!(t.class, Some(Class::Sl | Class::Stop))
                && text[t.end..]
                    .trim_start_matches([' ', '\u{fe0f}'])
                    .strip_prefix('❌')
                    .is_some_and(|rest| {
                        let rest = rest.trim_start_matches([' ', '\u{fe0f}']);
                        rest.starts_with(['-', '.', '\n']) || rest.is_empty()
                    })
        })
    {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!("result report ('{w} ❌': the stop hit)"));
    }
    // "Gold sell came back to BE after TP1 … +70 on the first part": with no entry or stop, a
    // "target" no price of the symbol could be is something else.
    if r.entries.is_empty()
        && r.sl.is_none()
        && !r.tps.is_empty()
        && let Some(symbol) = r.symbols.first()
        && let Some((lo, hi)) = super::symbols::price_range(&symbol.canonical)
        && r.tps.iter().all(|t| match t.target {
            Target::Price(v) => !(lo..=hi).contains(&v) && !(lo..=hi).contains(&(v * 1000.0)),
            Target::Pips { .. } => false,
        })
    {
        return Some(trace_fmt!(
            "no price of {} ({lo}–{hi}) among the levels — not a ticket",
            symbol.canonical
        ));
    }
    // "Once TP1 hits, move SL to BE": a result waited for, not reported.
    let awaited = |i: usize, line: usize| {
        lexed.tokens[..i]
            .iter()
            .rev()
            .take_while(|p| p.line == line)
            .any(|p| p.class == Some(Class::Condition))
    };
    // "Ejemplo de cómo cargar la señal en MT4 👇" above a ticket: the ticket is the example,
    // however long the line that says so.
    let example = |t: &super::tokens::Token| {
        text.get(t.start..t.end)
            .is_some_and(|w| EXAMPLE_WORDS.contains(&w.to_lowercase().as_str()))
    };
    // "🟢 NEW SIGNAL … Status: ACTIVE": a bot's card of a new trade states it is live.
    // "🤖 AUTO SIGNAL #4471" too ("Signal update" is about one).
    let new_card = || {
        let mut head = lexed.tokens.iter().take_while(|t| t.line == 0);
        // "🤖 AutoSignal #4830" too.
        let signal = head.clone().any(|t| {
            text.get(t.start..t.end).is_some_and(|w| {
                w.eq_ignore_ascii_case("signal")
                    || w.get(w.len().saturating_sub(6)..)
                        .is_some_and(|end| end.eq_ignore_ascii_case("signal"))
            })
        });
        head.clone().any(|t| t.is(Class::New)) || signal && !head.any(|t| t.is(Class::Update))
    };
    let status_field = |t: &super::tokens::Token| {
        levels::nth_line(text, t.line)
            .trim_start()
            .get(..6)
            .is_some_and(|k| k.eq_ignore_ascii_case("status"))
            && text
                .get(t.start..t.end)
                .is_some_and(|w| LIVE_WORDS.contains(&w.to_lowercase().as_str()))
    };
    let past_tense = |t: &super::tokens::Token| {
        text.get(t.start..t.end).is_some_and(|w| {
            ["was", "were", "made", "gave"]
                .iter()
                .any(|p| p.eq_ignore_ascii_case(w))
        })
    };
    let dont_miss = |i: usize| {
        text.get(lexed.tokens[i].start..lexed.tokens[i].end)
            .is_some_and(|w| w.eq_ignore_ascii_case("miss"))
            && i.checked_sub(1)
                .is_some_and(|p| lexed.tokens[p].is(Class::Negation))
    };
    // "you can join me", "copy me": the reader invited to follow the provider.
    let invited = || lexed.tokens.iter().any(|t| t.is(Class::Copy));
    // "I just entered GOLD sell at 4232, you can join me": the provider's own entry, offered.
    let offered = |i: usize| {
        text.get(lexed.tokens[i].start..lexed.tokens[i].end)
            .is_some_and(|w| {
                ["entered", "opened", "took", "went", "شخصياً", "شخصيا"]
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(w))
            })
            && invited()
    };
    let invitation = |i: usize| {
        offered(i)
            || text
                .get(lexed.tokens[i].start..lexed.tokens[i].end)
                .is_some_and(|w| w.eq_ignore_ascii_case("copy"))
                && lexed.tokens.get(i + 1).is_some_and(|n| {
                    n.is(Class::Condition)
                        || text
                            .get(n.start..n.end)
                            .is_some_and(|w| w.eq_ignore_ascii_case("me"))
                })
    };
    // "Lead trader closed position": a copy-trading card of the trader copied leaving the
    // trade, which the copy follows (its fields say it again: "Closed: 4 / 10 contracts").
    let result = lexed.tokens.iter().enumerate().find_map(|(i, t)| {
        (t.class == Some(Class::Result)
            && !(text
                .get(t.start..t.end)
                .is_some_and(|w| super::text::one_of(w, super::followup::COPY_CLOSED))
                && super::followup::lead_trader_card(text, lexed))
            && !super::followup::protected_profit(text, &lexed.tokens, i)
            && !(ticket && commentary.get(t.line) == Some(&true) && !example(t))
            // "Yesterday was a tough one, some of you got stopped on the GBP trade …. So I
            // am taking a small sell on gold here at 4128, stop 4136": a sentence of prose
            // around a complete ticket.
            && !(ticket && r.sl.is_some() && prose_sentence(text, lexed, i))
            && !(ticket && awaited(i, t.line))
            && !(ticket && status_field(t) && new_card())
            // "Đạt TP1 anh em tự dời SL về entry nhé": a note on managing the ticket, on a
            // line of its own.
            && !(ticket
                && r.sl.is_some()
                && !r.holds_levels(t.line)
                && management_line(text, lexed, t.line))
            // "Previous buy limit didn't trigger. New setup 👇": the earlier order's fate,
            // beside a complete new ticket.
            && !(ticket
                && r.sl.is_some()
                && !r.tps.is_empty()
                && !r.holds_levels(t.line)
                && lexed.tokens.iter().any(|p| {
                    p.line == t.line
                        && super::text::one_of(
                            text.get(p.start..p.end).unwrap_or(""),
                            &["previous", "prev", "earlier", "old", "yesterday's", "last"],
                        )
                }))
            // "EIA build was bearish" under a ticket: the reason, in the past tense.
            && !(ticket && past_tense(t) && !r.holds_levels(t.line))
            // "Copy if you like", "copy me": an invitation to follow the ticket.
            && !(ticket && invitation(i))
            // "Don't miss it": an urge to take it.
            && !(ticket && dont_miss(i)))
        .then_some(t)
    });
    if let Some(t) = result {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!("result report ('{w}')"));
    }
    // "our long from 24210 with both targets marked": a trade the channel holds, named by
    // whose it is, with no stop to trade it by.
    if r.sl.is_none()
        && let Some(t) = lexed.tokens.iter().enumerate().find_map(|(i, t)| {
            // ("Taking my US30 long off here": the trade's symbol between.)
            let p = i.checked_sub(1).map(|p| match lexed.tokens[p].kind {
                Kind::Sym(_) => p.checked_sub(1),
                _ => Some(p),
            });
            (matches!(t.class, Some(Class::Side(_)))
                && p.flatten().is_some_and(|p| {
                    lexed.tokens[p].line == t.line
                        && super::text::one_of(
                            text.get(lexed.tokens[p].start..lexed.tokens[p].end)
                                .unwrap_or(""),
                            super::text::OURS,
                        )
                }))
            .then_some(t)
        })
    {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!("a trade already held ('… {w}'), not a new call"));
    }
    // "we called #BTC long at 67800 and it's now 70400": an earlier call recalled, with no stop
    // to trade it by.
    if r.sl.is_none()
        && let Some(i) = lexed.tokens.iter().position(|t| t.is(Class::Said))
        && lexed.tokens[i + 1..]
            .iter()
            .take(4)
            .any(|t| t.line == lexed.tokens[i].line && matches!(t.class, Some(Class::Side(_))))
    {
        let t = &lexed.tokens[i];
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!("a call recalled ('{w}'), not given now"));
    }
    // "#BTC/USDT ЛОНГ от 90800 — тейк 1 ✅ +8%": a target named by its index and ticked, on a
    // call with no stop — its hit reported.
    let ticked = |(a, b): (usize, usize)| {
        text.get(a..b)
            .is_some_and(|gap| gap.contains(['✅', '✔', '☑']))
    };
    let ticked_index = !ticket
        && r.sl.is_none()
        && text.contains(['✅', '✔', '☑'])
        && lexed.tokens.iter().enumerate().any(|(i, t)| {
            if !t.is(Class::Tp) || t.digits.is_some_and(|(a, b)| b - a != 1) {
                return false;
            }
            let index = lexed
                .tokens
                .get(i + 1)
                .filter(|n| n.kind == Kind::Num && n.end - n.start == 1 && n.line == t.line);
            let at = i + 1 + usize::from(index.is_some());
            let end = index.map_or(t.end, |n| n.end);
            let gap_end = lexed.tokens.get(at).map_or(text.len(), |n| n.start);
            // "BTC TP2 88k ✅✅": or ticked after the target's value.
            let after_value = lexed
                .tokens
                .get(at)
                .filter(|n| n.kind == Kind::Num && n.line == t.line)
                .map(|n| {
                    let next = lexed.tokens.get(at + 1).map_or(text.len(), |m| m.start);
                    (n.end, next)
                });
            ticked((end, gap_end)) || after_value.is_some_and(ticked)
        });
    if ticked_index {
        return Some("result report (a target marked hit)".to_string());
    }
    // A call with its targets alone, ticked ("#ETHUSDT LONG / Hedef 1 ✅ / Hedef 2 ✅"), too.
    // Or with its entry and no stop ("US30 SELL 47380 / TP 47200 ✅ / TP 47050 ✅").
    let targets_only = r.sl.is_none() && !r.tps.is_empty();
    if (ticket || targets_only)
        && let Some(marks) = targets_marked(text, lexed, r)
    {
        return Some(trace_fmt!(
            "result report (targets marked one by one: {marks})"
        ));
    }
    // "GOLD BUY 2350 SL 2340 TP 2370 ✅": a ticket signed off as done (money emoji are a
    // channel's decoration, c272).
    // Not a check mark closing a management note ("BE once +15 pips ✔️").
    let last_line = lexed.tokens.last().map_or(0, |t| t.line);
    let note_last = lexed.tokens.iter().any(|t| {
        t.line == last_line
            && matches!(
                t.class,
                Some(Class::Breakeven | Class::BeWeak | Class::Move | Class::Condition)
            )
    });
    // The mark on a level's line or a line of its own; not after a note ("RR 1:3 ✅").
    let signed = text.trim_end_matches(|c: char| c.is_whitespace() || c == '\u{fe0f}');
    // "SL 4055 ❌ / TP 4070 ✅ / TP 4075 ✅": a template that marks the stop with a cross and
    // the targets with ticks — no trade hits both.
    let template = || {
        r.sl.is_some_and(|(_, line)| levels::nth_line(text, line).contains('❌'))
            && r.tps
                .iter()
                .all(|t| levels::nth_line(text, t.line).contains(['✅', '✔']))
    };
    let on_a_note = || {
        let mark_line = signed.bytes().filter(|&b| b == b'\n').count();
        lexed
            .tokens
            .iter()
            .any(|t| t.line == mark_line && t.kind != Kind::Nl)
            && !r.holds_levels(mark_line)
    };
    if ticket
        && !note_last
        && let Some(mark) = signed
            .chars()
            .next_back()
            .filter(|c| matches!(c, '✅' | '✔' | '🏆'))
        && !on_a_note()
        && !template()
    {
        return Some(trace_fmt!("result report (the ticket ends with {mark})"));
    }
    // "✅ Take-Profit target 1 / Profit: 8.4% 📈 / Period: 5 Hours 12 Minutes": a bot's card of
    // a target hit, by its field of how long it took.
    if text.contains("\nPeriod:") || text.contains("\nProfit:") && text.contains('✅') {
        return Some("result report (a bot's card: profit and period)".to_string());
    }
    // "Proof: XAUUSD SELL 4218-4222 SL 4228 TP 4213/4208/4200 ✅✅✅ / Join now": a ticket's
    // line signed off target by target, with more said after it.
    let ticked = ticket && !r.tps.is_empty() && text.contains(['✅', '✔']);
    let ticked_line = r
        .tps
        .iter()
        .map(|t| t.line)
        .filter(|_| ticked)
        .find(|&line| {
            let written = levels::nth_line(text, line);
            let ticks = written
                .trim_end_matches(|c: char| c.is_whitespace() || c == '\u{fe0f}')
                .chars()
                .rev()
                .take_while(|c| matches!(c, '✅' | '✔' | '\u{fe0f}'))
                .filter(|&c| c != '\u{fe0f}')
                .count();
            // "Цели: 92800 ✅ / 94000 ✅ / 95500 ✅": each target ticked where it stands.
            let marks = written.chars().filter(|c| matches!(c, '✅' | '✔')).count();
            let targets = r.tps.iter().filter(|t| t.line == line).count();
            ticks >= 2 || marks >= 2 && marks >= targets
        });
    if ticket && ticked_line.is_some() && !template() {
        return Some("result report (the ticket's line ticked off)".to_string());
    }
    // "Tous les TP ✅", "All TPs ✅", "TP1 ✅ TP2 ✅ TP3 ✅": every target ticked off, on a line
    // of its own.
    let all_ticked = lexed.tokens.iter().any(|t| {
        let on_line = || lexed.tokens.iter().filter(move |n| n.line == t.line);
        t.is(Class::Tp)
            && !r.holds_levels(t.line)
            && levels::nth_line(text, t.line).contains(['✅', '✔'])
            && (on_line().any(|n| n.is(Class::All))
                || on_line().filter(|n| n.is(Class::Tp)).count() >= 2)
            && on_line().all(|n| {
                n.kind == Kind::Nl
                    || n.kind == Kind::Word
                        && (n.is(Class::Tp)
                            || n.is(Class::All)
                            || n.class.is_none() && n.end - n.start <= 3)
            })
    });
    if all_ticked {
        return Some("result report (every target ticked off)".to_string());
    }
    // "LTC спот 87 → 104 ✅": from the entry to a target, ticked — a trade reported done.
    let reached = text.contains(['✅', '✔'])
        && text.match_indices(['→', '➡', '➜']).any(|(at, arrow)| {
            let before = text[..at].trim_end_matches([' ', '\u{fe0f}']);
            let after = text[at + arrow.len()..].trim_start_matches([' ', '\u{fe0f}']);
            let digits = after
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                .unwrap_or(after.len());
            before.ends_with(|c: char| c.is_ascii_digit())
                && digits > 0
                && after[digits..]
                    .trim_start_matches([' ', '\u{fe0f}'])
                    .starts_with(['✅', '✔'])
        });
    if reached {
        return Some("result report (from the entry to a target, ticked)".to_string());
    }
    if (r.sl.is_none() || r.pip_gain_made)
        && let Some(w) = &r.pip_gain
    {
        return Some(trace_fmt!("result report ('{w}')"));
    }
    // "gold sell 4112 tak pohanch gaya, 160 pips ✅✅": pips ticked off beside a call with no
    // stop or target are what it made.
    if r.sl.is_none()
        && r.tps.is_empty()
        && text.contains(['✅', '✔'])
        && let Some(t) = lexed.tokens.iter().find(|t| t.is(Class::Pips))
    {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!("result report ('{w}' ticked off)"));
    }
    // "ETH batendo 3350 ✅ primeiro alvo da compra": a price ticked, then named a target, with
    // no stop to trade by.
    if r.sl.is_none()
        && r.tps.is_empty()
        && text.contains(['✅', '✔'])
        && let Some(t) = lexed.tokens.iter().enumerate().find_map(|(i, t)| {
            (t.kind == Kind::Num
                && lexed.tokens.get(i + 1).is_some_and(|n| {
                    text.get(t.end..n.start)
                        .is_some_and(|gap| gap.contains(['✅', '✔']))
                })
                && lexed.tokens[i + 1..]
                    .iter()
                    .take(2)
                    .any(|n| n.line == t.line && n.is(Class::Tp)))
            .then_some(t)
        })
    {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!("result report ('{w} ✅', a target reached)"));
    }
    // "JOIN VIP NOW — get signals like GOLD BUY 2350 SL 2340 TP 2380 every day! DM @admin": an
    // advert on the ticket's own line shows it as an example (a footer on a line of its own
    // does not; nor does "VIP" naming the channel).
    // So does one on the line that introduces it ("Promo 🔥 VIP me aise calls milte hai:").
    let side_lines = || {
        lexed
            .tokens
            .iter()
            .filter(|s| matches!(s.class, Some(Class::Side(_))))
            .map(|s| s.line)
    };
    let introduces = |line: usize| {
        levels::nth_line(text, line).trim_end().ends_with(':')
            && side_lines().any(|l| l == line + 1)
    };
    let advert = lexed.tokens.iter().find(|t| {
        t.class == Some(Class::Promo)
            && !matches!(
                text.get(t.start..t.end).map(str::to_lowercase).as_deref(),
                Some("vip" | "premium")
            )
            // "you can join me": the trade, not the channel.
            && !(text
                .get(t.start..t.end)
                .is_some_and(|w| w.eq_ignore_ascii_case("join"))
                && invited())
            && (side_lines().any(|l| l == t.line) || introduces(t.line))
    });
    if let Some(t) = advert {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!("promotion ('{w}' beside the ticket)"));
    }
    // "вот как выглядел сигнал по DOGE неделю назад 👇 / SHORT 0.1720 …": a ticket introduced
    // as one of an earlier day, shown.
    let shown_under = |line: usize| {
        levels::nth_line(text, line)
            .trim_end()
            .ends_with([':', '👇'])
            && side_lines().any(|l| {
                l == line + 1 || l == line + 2 && levels::nth_line(text, line + 1).trim().is_empty()
            })
    };
    // In the clause that introduces it: "Bitcoin heeft gisteren … Ik stap zelf in:" speaks of
    // the market the day before.
    // ("hier" is "here" in German and Dutch.)
    let introducing = |t: &super::tokens::Token| {
        let end = text[t.end..].find('\n').map_or(text.len(), |n| t.end + n);
        let german_here = text[t.start..t.end].eq_ignore_ascii_case("hier")
            && lexed.speaks_any(&[super::lexicon::Lang::De, super::lexicon::Lang::Nl]);
        !(text[t.end..end].contains(['.', '!', '?', ',']) || german_here)
    };
    if let Some(t) = lexed.tokens.iter().find(|t| {
        matches!(t.class, Some(Class::Earlier | Class::Invalid))
            && shown_under(t.line)
            && introducing(t)
    }) {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!("a ticket of an earlier day ('{w}'), shown"));
    }
    if !ticket {
        // "Биток у 100к, держим лонги": positions held, named in the plural — no order.
        if let Some(first) = r.sides.first()
            && r.sides.iter().all(|w| {
                super::levels::PLURAL_SIDES
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(w.raw))
            })
        {
            return Some(trace_fmt!(
                "positions named ('{}'), not an order",
                first.raw
            ));
        }
        if let Some(w) = word(Class::Promo) {
            return Some(trace_fmt!("promotion ('{w}')"));
        }
        if text.contains("t.me/") || text.contains("http://") || text.contains("https://") {
            return Some("promotion (a link)".to_string());
        }
        // "US30 compra ya / SL pronto / TP pronto": a level's placeholder is no hedge.
        let placeholder = |w: &str| {
            [&r.sl_placeholder, &r.tp_placeholder]
                .iter()
                .any(|p| p.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(w)))
        };
        // "I'm in a buy on gold here at 4154 … looking for 4170. Join me": the provider's own
        // entry with the reader invited; what he looks for is his targets.
        let invited = lexed.tokens.iter().any(|t| t.is(Class::Copy));
        // "GOLD SELL NOW … ចាំ SL TP" (wait for SL TP): the levels are what is waited for.
        let levels_awaited = |i: usize| {
            // "SHORT NOW 🔴 details soon": the levels, named, are what is waited for.
            if i.checked_sub(1).is_some_and(|p| {
                let w = &lexed.tokens[p];
                super::text::one_of(
                    text.get(w.start..w.end).unwrap_or(""),
                    &["details", "levels", "targets", "info"],
                )
            }) {
                return true;
            }
            let line = lexed.tokens[i].line;
            let mut rest = lexed.tokens[i + 1..].iter().take_while(|n| n.line == line);
            rest.clone()
                .next()
                .is_some_and(|n| n.is(Class::Sl) || n.is(Class::Tp))
                && rest.all(|n| n.kind != Kind::Num)
        };
        if let Some(t) = lexed.tokens.iter().enumerate().find_map(|(i, t)| {
            (!invited
                && t.is(Class::Hedge)
                && !placeholder(text.get(t.start..t.end).unwrap_or(""))
                && !levels_awaited(i))
            .then_some(t)
        }) {
            let w = text.get(t.start..t.end).unwrap_or("");
            return Some(trace_fmt!("heads-up or analysis ('{w}'), not an order"));
        }
    }
    // "If price breaks 2350, buy": a condition before the levels makes the order conditional; one
    // in a closing disclaimer, or in commentary above a ticket, does not.
    let first_label = lexed
        .tokens
        .iter()
        .position(|t| matches!(t.class, Some(Class::Sl | Class::Stop | Class::Tp)))
        .unwrap_or(usize::MAX);
    // After the levels, a condition on the order's own line ("GOLD BUY 2350 SL 2340 TP 2370 only
    // if H1 closes above") or heading a line of its own ("Only after the H1 close"); not a
    // management note ("BE once +15 pips", "once TP1 hits move SL to BE").
    let side_line = |line: usize| {
        lexed
            .tokens
            .iter()
            .any(|t| t.line == line && matches!(t.class, Some(Class::Side(_))))
    };
    let heads_line =
        |i: usize| i == 0 || lexed.tokens.get(i - 1).is_some_and(|p| p.kind == Kind::Nl);
    let management = |line: usize| management_line(text, lexed, line);
    // A condition that starts a sentence after the levels ("…, TP 1.3110. If it doesn't trigger
    // by NY I'll cancel it") is about later, not the order.
    let sentence_start =
        |t: &super::tokens::Token| text[..t.start].trim_end().ends_with(['.', '!', '?']);
    // "After TP1, secure the position": a condition on a target is a plan for the trade.
    let on_a_target = |i: usize| lexed.tokens.get(i + 1).is_some_and(|n| n.is(Class::Tp));
    // "Если не нальют — не страшно", "If it doesn't trigger, I'll cancel": the order failing,
    // not a condition on it.
    let if_not = |i: usize| {
        lexed.tokens[i + 1..]
            .iter()
            .take(3)
            .any(|n| n.line == lexed.tokens[i].line && n.is(Class::Negation))
    };
    // "Copy if you like": the reader's choice to follow, not a condition on the order.
    let if_you_like = |i: usize| {
        let word = |k: usize| {
            lexed
                .tokens
                .get(k)
                .and_then(|n| text.get(n.start..n.end))
                .map(str::to_ascii_lowercase)
        };
        let copy_before = (i.saturating_sub(2)..i).any(|k| lexed.tokens[k].is(Class::Copy));
        // "si quieren acompañarme": the condition, a verb of wanting, the invitation.
        let copy_after = lexed.tokens[i + 1..]
            .iter()
            .take(3)
            .take_while(|n| n.line == lexed.tokens[i].line)
            .any(|n| n.is(Class::Copy));
        copy_before
            || copy_after
            || matches!(
                word(i + 1).as_deref(),
                Some("you" | "you're" | "youre" | "ya" | "u")
            ) && matches!(
                word(i + 2).as_deref(),
                Some("like" | "want" | "wish" | "prefer" | "dare" | "fancy" | "keen")
            )
    };
    // "I'm adding a position: short USDJPY at 156.40. … If Tokyo steps in, this moves 300 pips
    // in an afternoon. Stop at 157.60": a sentence of its own after the order's, which names
    // neither side nor level — the author's reasoning ("only if …" is a condition wherever).
    let side_before = |i: usize| {
        lexed.tokens[..i]
            .iter()
            .any(|t| matches!(t.class, Some(Class::Side(_))))
    };
    let strong = |t: &super::tokens::Token| {
        text.get(t.start..t.end).is_some_and(|w| {
            STRONG_CONDITIONS
                .iter()
                .any(|s| w.to_lowercase().starts_with(s))
        })
    };
    let reasoning = |i: usize, t: &super::tokens::Token| {
        ticket && side_before(i) && !strong(t) && !states_order(text, lexed, i)
    };
    let condition = lexed.tokens.iter().enumerate().find(|&(i, t)| {
        t.class == Some(Class::Condition)
            // "Game plan for tomorrow's NY open", "only if we open above 25300 — NOT live": a
            // strong condition holds the order back even from the commentary around it.
            && !(ticket && commentary.get(t.line) == Some(&true) && !strong(t))
            && !(ticket && i > first_label && (on_a_target(i) || if_not(i)))
            // "join me if you want": the reader's choice, wherever it is said.
            && !if_you_like(i)
            // "тейк пока не даю": the target held back, not the order.
            && !i.checked_sub(1).is_some_and(|p| {
                lexed.tokens[p].is(Class::Tp) && lexed.tokens[p].line == t.line
            })
            && !reasoning(i, t)
            // "the trendline from last Tuesday": a day gone by.
            && !i.checked_sub(1).is_some_and(|p| {
                text.get(lexed.tokens[p].start..lexed.tokens[p].end)
                    .is_some_and(|w| super::text::one_of(w, super::text::SINCE))
            })
            && (i < first_label
                || (side_line(t.line) && !sentence_start(t) || heads_line(i))
                    && !management(t.line)
                    // "valid until 2026-12-08": how long the order stands.
                    && !text
                        .get(t.start..t.end)
                        .is_some_and(|w| w.eq_ignore_ascii_case("until")))
    });
    // "GOLD BUY STOP 4125 … Only if breaks Asia high": a stop order is the condition on the
    // break, written out.
    let stop_order = matches!(r.order, Some((crate::model::OrderType::Stop, _)));
    if let Some((_, t)) = condition.filter(|_| !(ticket && stop_order)) {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!(
            "conditional order ('{w}'), not an order to trade now"
        ));
    }
    // "🤖 ORDER MODIFIED … XAUUSD SELL 2419.60 / TP: 2405.00 → 2395.00": a level changed from one
    // price to another, under a word of change, is an earlier trade's ("TP 1.1625 → 1.1590" alone
    // lists two targets).
    let modified = lexed.tokens.iter().any(|t| t.is(Class::Update));
    let changed = lexed.tokens.iter().enumerate().find(|&(i, t)| {
        modified
            && matches!(t.class, Some(Class::Tp | Class::Sl))
            && matches!(
                (lexed.tokens.get(i + 1), lexed.tokens.get(i + 2)),
                (Some(a), Some(b)) if a.kind == Kind::Num
                    && a.end - a.start > 1
                    && b.kind == Kind::Num
                    && a.line == t.line
                    && b.line == t.line
                    && text
                        .get(a.end..b.start)
                        .is_some_and(|gap| gap.contains(['→', '➜', '➡', '➝', '⇒']) || gap.contains("->"))
            )
    });
    if let Some((_, t)) = changed {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!(
            "update to an earlier trade ('{w}' changed from one price to another), not an open"
        ));
    }
    // An earlier trade's new levels, ticket or not — opening it again would double the trade.
    if let Some(t) = update_word(text, lexed, r) {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!(
            "update to an earlier trade ('{w}'), not an open"
        ));
    }
    // "Qui me suit ?", "¿quién se une?": the reader invited, the mark right after the words.
    let invited = text.contains('?')
        && text.match_indices('?').all(|(q, _)| {
            let before = lexed
                .tokens
                .iter()
                .filter(|t| t.end <= q)
                .collect::<Vec<_>>();
            before.iter().rev().take(3).any(|t| t.is(Class::Copy))
        });
    if !ticket && !invited && (text.contains('?') || asked_by_particle(text, lexed)) {
        return Some("a question, not an order".to_string());
    }
    if r.symbols.is_empty() {
        return Some(super::NO_SYMBOL.to_string());
    }
    // "Den US30-Short habe ich bei 46460 glattgestellt": a close no rule could read is still no
    // order to open.
    if !ticket
        && let Some(t) = lexed
            .tokens
            .iter()
            .find(|t| matches!(t.class, Some(Class::Close | Class::Cancel)))
    {
        let w = text.get(t.start..t.end).unwrap_or("");
        return Some(trace_fmt!(
            "a close word ('{w}') without a ticket — not an open"
        ));
    }
    if r.distinct_sides() > 1 {
        return Some("both buy and sell mentioned".to_string());
    }
    if r.sides.is_empty() {
        return match infer_side(r, r.entry_reference()) {
            Some(_) => None,
            None => Some("no buy/sell/long/short, and the levels do not show one".to_string()),
        };
    }
    let bare = !r.has_levels();
    // "Sell all gold now": get out of the buys, or a new sell? Either is a guess.
    let side_all = lexed.tokens.windows(2).find(|w| {
        matches!(w[0].class, Some(Class::Side(_))) && w[1].is(Class::All) && w[0].line == w[1].line
    });
    if bare && let Some(w) = side_all {
        let said = text.get(w[0].start..w[1].end).unwrap_or("");
        return Some(trace_fmt!(
            "'{said}' may mean closing trades as well as opening one — unclear"
        ));
    }
    // ("Buying gold here, join me": the provider's own entry, offered now.)
    if bare && r.market.is_none() && !lexed.tokens.iter().any(|t| t.is(Class::Copy)) {
        return Some("a direction without levels or 'now'".to_string());
    }
    // "Стоп на уровень первого тейка 4306 (шорт по золоту)": a stop named without a level of
    // its own, beside a target's price and no entry — the stop moved to the target.
    let stop_named = lexed
        .tokens
        .iter()
        .any(|t| matches!(t.class, Some(Class::Sl | Class::Stop)));
    if stop_named
        && r.sl.is_none()
        && r.sl_placeholder.is_none()
        && r.entries.is_empty()
        && r.market.is_none()
        && !stop_order
    {
        return Some(
            "a stop named without its level and no entry — a move of the stop, not an order"
                .to_string(),
        );
    }
    // "BTCUSDT short — SL 105 400 ✅": a stop beside a side names the trade it belongs to; a
    // ticket gives its entry, a target or "now".
    if r.entries.is_empty() && r.tps.is_empty() && r.market.is_none() {
        return Some("a side and a stop alone — no entry, target or 'now' to open on".to_string());
    }
    let words = lexed
        .tokens
        .iter()
        .filter(|t| matches!(t.kind, Kind::Word | Kind::Sym(_)))
        .count();
    // "BTC LONG NOW 🚀 … SL & TPs in a few mins": a call now whose levels are promised — the
    // stop and targets named, no number given.
    let levels_to_come = lexed
        .tokens
        .iter()
        .any(|t| matches!(t.class, Some(Class::Sl | Class::Stop | Class::Tp)));
    if bare && words > 8 && !(r.market.is_some() && levels_to_come) {
        return Some("a direction without levels inside a longer text — not a call".to_string());
    }
    None
}

/// The word that makes the message an update to an earlier trade ("Update: GOLD BUY 2350 SL 2345
/// TP 2360", "(updated levels)"): on the ticket's own lines, or heading the message.
pub(crate) fn update_word<'l>(
    text: &str,
    lexed: &'l Lexed,
    r: &OpenReading<'_>,
) -> Option<&'l super::tokens::Token> {
    let commentary = &r.commentary;
    let ticket_line = |line: usize| {
        lexed.tokens.iter().any(|t| {
            t.line == line
                && matches!(
                    t.class,
                    Some(Class::Side(_) | Class::Sl | Class::Stop | Class::Tp | Class::Entry)
                )
        })
    };
    let first_word = lexed.tokens.iter().position(|t| t.kind == Kind::Word);
    // On the ticket's own lines, or heading the message ("Update: …"); not a promise further down
    // ("I will give updates").
    // "I'll update when TP1 hits": a promise, not an update.
    // "TP will be adjusted if we get momentum": a promise, or a change on a condition; "TP
    // levels may be updated": a possibility.
    let promised = |i: usize| {
        lexed.tokens[i.saturating_sub(2)..i]
            .iter()
            .filter_map(|p| text.get(p.start..p.end))
            .any(|w| {
                let w = w.to_ascii_lowercase();
                // ("TP sẽ update thêm", "TP akan update nanti": "will" in Vietnamese and
                // Indonesian.)
                [
                    "will",
                    "shall",
                    "may",
                    "might",
                    "can",
                    "could",
                    "sẽ",
                    "akan",
                    "будет",
                    "wird",
                ]
                .contains(&w.as_str())
                    || w.ends_with("'ll")
                    || w.ends_with("’ll")
            })
            || lexed.tokens[i..]
                .iter()
                .take_while(|n| n.line == lexed.tokens[i].line)
                .any(|n| n.is(Class::Condition))
    };
    // "TP: cập nhật sau", "SL: update soon": the label's placeholder, not the trade's update.
    // "TP: cập nhật sau", "TP akan update nanti": on a line the label starts.
    // ("✏️ TP UPDATE / US30 BUY / TP1: 47300 / TP2: 47420": a heading over the targets given.)
    let placeholder = |i: usize| {
        let line = lexed.tokens[i].line;
        lexed
            .tokens
            .iter()
            .find(|t| t.line == line)
            .is_some_and(|first| match first.class {
                Some(Class::Tp) => r.tp_placeholder.is_some() && r.tps.is_empty(),
                Some(Class::Sl) => r.sl_placeholder.is_some() && r.sl.is_none(),
                _ => false,
            })
    };
    // "Crude update 🛢 / (a paragraph on the market) / USOIL BUY 59.70 …": the market's update
    // over the commentary, then a ticket of its own.
    let over_commentary = |line: usize| {
        let first_ticket = (line + 1..commentary.len().max(line + 1)).find(|&l| r.holds_levels(l));
        first_ticket.is_some_and(|f| (line + 1..f).any(|l| commentary.get(l) == Some(&true)))
    };
    lexed.tokens.iter().enumerate().find_map(|(i, t)| {
        (t.is(Class::Update)
            && commentary.get(t.line) != Some(&true)
            && !promised(i)
            && !placeholder(i)
            && (ticket_line(t.line) || Some(i) == first_word && !over_commentary(t.line)))
        .then_some(t)
    })
}

/// A line that manages the trade ("move SL to entry", "close half at TP2"): a note on the plan.
fn management_line(text: &str, lexed: &Lexed, line: usize) -> bool {
    lexed.tokens.iter().enumerate().any(|(i, t)| {
        t.line == line
            && matches!(
                t.class,
                Some(Class::Move | Class::Close | Class::Cancel | Class::Breakeven | Class::BeWeak)
            )
            // "after the H1 close": a candle's close, not the trade's.
            && !(t.class == Some(Class::Close) && after_a_candle(text, lexed, i))
    })
}

/// The sentence around token `i` is prose: eight words or more, and no level, side, symbol,
/// pip count or tick in it.
fn prose_sentence(text: &str, lexed: &Lexed, i: usize) -> bool {
    let sentence = &lexed.tokens[sentence_of(text, lexed, i)];
    let words = sentence.iter().filter(|t| t.kind == Kind::Word).count();
    let span = text
        .get(sentence[0].start..sentence[sentence.len() - 1].end)
        .unwrap_or("");
    words >= 8
        && !span.contains(['✅', '✔', '+', '%'])
        && !sentence.iter().any(|t| {
            matches!(t.kind, Kind::Sym(_))
                || matches!(
                    t.class,
                    Some(
                        Class::Sl
                            | Class::Stop
                            | Class::Tp
                            | Class::Entry
                            | Class::Side(_)
                            | Class::Pips
                    )
                )
        })
}

/// Conditions that hold the order back wherever they are said: "only if", "wait for".
const STRONG_CONDITIONS: &[&str] = &[
    "only",
    "wait",
    "solo",
    "sólo",
    "nur",
    "erst",
    "apenas",
    "só",
    "seulement",
    "tylko",
    "только",
    "sadece",
    "sirf",
    "فقط",
    "chỉ",
    "not live",
    "not active",
    "just a plan",
    "will activate",
    "tomorrow's",
    "for tomorrow",
    "ليست مفعلة",
    "غير مفعلة",
    "خطة",
    "kal ka",
];

/// The tokens of the sentence around token `i`: up to a full stop, a mark or a line break in
/// the gaps between tokens (never the point of a price).
fn sentence_of(text: &str, lexed: &Lexed, i: usize) -> std::ops::RangeInclusive<usize> {
    let ends = |gap: &str| gap.contains(['.', '!', '?', '\n', '。']);
    let gap = |a: usize, b: usize| {
        text.get(lexed.tokens[a].end..lexed.tokens[b].start)
            .unwrap_or("")
    };
    let start = (0..i)
        .rev()
        .find(|&k| ends(gap(k, k + 1)))
        .map_or(0, |k| k + 1);
    let end = (i..lexed.tokens.len().saturating_sub(1))
        .find(|&k| ends(gap(k, k + 1)))
        .unwrap_or(lexed.tokens.len() - 1);
    start..=end
}

/// The sentence around token `i` states the order: a side, a level's label or an entry in it
/// (a symbol alone is what the reasoning is about: "oil can do stupid things on a Sunday").
fn states_order(text: &str, lexed: &Lexed, i: usize) -> bool {
    lexed.tokens[sentence_of(text, lexed, i)].iter().any(|t| {
        matches!(
            t.class,
            Some(Class::Sl | Class::Stop | Class::Tp | Class::Entry | Class::Side(_))
        )
    })
}

/// "[Foto] Screenshot MT4 di un iscritto: XAUUSD sell 0.50 4231.20 → 4210.40 +1.040 €",
/// "📸 صورة من حساب أحد المشتركين … ربح 1620$": a picture of a gain described — unless the
/// provider asks to copy it. Neither an open nor a close.
/// A gain named in a picture's caption.
const GAIN_WORDS: &[&str] = &[
    "profit",
    "dollar",
    "دلار",
    "سود",
    "ربح",
    "lucro",
    "kâr",
    "прибыль",
    "pips",
];

pub(crate) fn shown(text: &str, lexed: &Lexed) -> Option<String> {
    let w = screenshot(text)?;
    // A picture of a gain: a profit written as money or a signed figure, or named.
    let gain_shown = text.contains(['$', '€', '£', '%', '+', '→'])
        || GAIN_WORDS.iter().any(|w| text.contains(w));
    (gain_shown && !lexed.tokens.iter().any(|t| t.is(Class::Copy)))
        .then(|| trace_fmt!("a screenshot described ('{w}'), not an order"))
}

/// "guys im long DOGE at 0.18 with 50x, no sl, pray for me": the speaker's own position, with
/// no stop and no invitation to copy it — his news, not an order for the reader.
fn own_position(text: &str, lexed: &Lexed, r: &OpenReading<'_>) -> Option<String> {
    const I_AM: &[&str] = &["i", "i'm", "im", "i’m", "am", "my", "estoy", "suis", "bin"];
    if r.sl.is_some() || lexed.tokens.iter().any(|t| t.is(Class::Copy)) {
        return None;
    }
    let toks = &lexed.tokens;
    let at = toks.iter().enumerate().position(|(i, t)| {
        // A position held ("I'm long"), not one being taken ("I'm selling gold right now").
        matches!(t.class, Some(Class::Side(_)))
            && super::text::one_of(
                text.get(t.start..t.end).unwrap_or(""),
                &["long", "short", "longed", "shorted"],
            )
            && i.checked_sub(1).is_some_and(|p| {
                toks[p].line == t.line
                    && super::text::one_of(text.get(toks[p].start..toks[p].end).unwrap_or(""), I_AM)
            })
    })?;
    let t = &toks[at - 1];
    Some(trace_fmt!(
        "the speaker's own position ('{}'), no stop and no invitation — not an order",
        text.get(t.start..toks[at].end).unwrap_or("")
    ))
}

/// "bateu alvo 1, stop no 0x0. Regra de ouro!", "golden rule": a rule taught with its example.
pub(crate) fn golden_rule(text: &str, lexed: &Lexed) -> Option<String> {
    const RULES: &[&str] = &["golden rule", "regra de ouro", "regla de oro", "règle d'or"];
    let t = lexed.tokens.iter().find(|t| {
        t.is(Class::Advice)
            && text
                .get(t.start..t.end)
                .is_some_and(|w| super::text::one_of(w, RULES))
    })?;
    Some(trace_fmt!(
        "a rule taught ('{}'), not an order",
        text.get(t.start..t.end).unwrap_or("")
    ))
}

/// "Lesson #12 – Risk:Reward 📚", "📚 Reading a bot card:", "Dagens lärdom 📚": a lesson's
/// heading — its example trade or rule is no signal.
pub(crate) fn taught(text: &str, headings_only: bool) -> Option<String> {
    const LESSONS: &[&str] = &[
        "lesson",
        "урок",
        "lección",
        "leccion",
        "lição",
        "licao",
        "leçon",
        "lecon",
        "lezione",
        "ders",
        "درس",
        "آموزش",
        "pelajaran",
        "lekcja",
        "lekce",
        "lektion",
        "regla",
        "regra",
        "somo",
        "lernbeispiel",
        "beispiel",
        // "Eğitim: Sell Stop emri … Örnek: XAUUSD Sell Stop 4000": education, headed so.
        "eğitim",
        "egitim",
        "aula",
        "education",
        "educación",
        "educação",
        "обучение",
        "edukasi",
        "tutorial",
        "schulung",
        // "Dica: parcial no TP1 e stop no zero a zero, sempre": a tip.
        "dica",
        "tip",
        "consejo",
        "conseil",
        "tipp",
        "совет",
        "pédagogique",
        "pedagogique",
    ];
    // "Homework 📝 Calculate the lot size for this trade": an exercise set on it.
    const EXERCISES: &[&str] = &[
        "homework",
        "quiz",
        "exercise",
        "hausaufgabe",
        "tarea",
        "ejercicio",
        "exercício",
        "exercice",
        "задание",
        "ödev",
    ];
    let first_line = text.lines().next().unwrap_or("");
    // "Q: what does BE mean?\nA: breakeven = moving your stop to your entry …": a question
    // answered for every reader.
    let starts = |line: &str, heads: &[&str]| {
        let line = line.trim_start();
        heads.iter().any(|h| {
            let mut lower = line.chars().flat_map(char::to_lowercase);
            h.chars().all(|c| lower.next() == Some(c))
        })
    };
    // (A heading's initial first: most messages start with none of them.)
    let initial = first_line
        .trim_start()
        .chars()
        .next()
        .and_then(|c| c.to_lowercase().next());
    if matches!(initial, Some('q' | 'f' | 'в' | 'p' | 's'))
        && starts(
            first_line,
            &[
                "q:",
                "question:",
                "faq",
                "вопрос:",
                "pregunta:",
                "pergunta:",
                "frage:",
                "soru:",
            ],
        )
        && text.lines().skip(1).any(|l| {
            starts(
                l,
                &[
                    "a:",
                    "answer:",
                    "ответ:",
                    "respuesta:",
                    "resposta:",
                    "antwort:",
                    "cevap:",
                ],
            )
        })
    {
        return Some("a question answered (Q: … A: …), not an order".to_string());
    }
    // "VENTA XAUUSD 4100 = precio de entrada / SL 4110 = stop loss": a legend, each level named
    // for what it is.
    if text.contains('=') {
        let explained = text
            .lines()
            .filter(|l| {
                l.split_once('=').is_some_and(|(level, meaning)| {
                    level.trim_end().ends_with(|c: char| c.is_ascii_digit())
                        && meaning.trim_start().starts_with(char::is_alphabetic)
                })
            })
            .count();
        if explained >= 2 {
            return Some("a legend ('level = what it is'), not an order".to_string());
        }
    }
    // "Leverage 101 🧠 Long SOL at 180 …": a course's first lesson, by its number.
    let mut head_words = first_line.split_whitespace();
    if let (Some(subject), Some("101")) = (head_words.next(), head_words.next())
        && subject.chars().all(char::is_alphabetic)
    {
        return Some(trace_fmt!("a lesson ('{subject} 101'), not an order"));
    }
    if let Some(first) = first_line
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .filter(|w| super::text::one_of(w, EXERCISES))
    {
        return Some(trace_fmt!("an exercise ('{first}'), not an order"));
    }
    // "Hilo 🧵: por qué el oro sube": a thread explaining, not a call.
    if !headings_only && first_line.contains(['📚', '🎓', '📖', '🧵']) {
        return Some("a lesson (📚 on its first line), not an order".to_string());
    }
    // "Урок: как считать объём позиции", "Lección: nunca dejes …", "Lesson of the day:": a
    // lesson's heading word, first in a short heading.
    let (head, _) = first_line.split_once(':')?;
    let head = head.trim();
    // ("📚 Lernbeispiel:": past the decoration.)
    let mut words = head
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric));
    let first = words.next().unwrap_or("");
    // "Indices 101:": a course's first lesson, by its number; "Как читать наши сигналы:": how
    // to read them.
    let course = head.ends_with(" 101")
        || [
            "how to read",
            "how to set",
            "how to place",
            "how to enter",
            "как читать",
            "cómo leer",
            "como leer",
            "como ler",
            "comment lire",
            "wie man",
            "nasıl okunur",
            "cara membaca",
        ]
        .iter()
        .any(|h| head.get(..h.len()).is_some_and(|p| p.to_lowercase() == *h))
        // "Zur Erinnerung, so lest ihr unsere Signale:": how to read them, said anywhere in the
        // heading.
        || {
            let head = head.to_lowercase();
            ["so lest ihr", "so liest man", "so liest du", "how to read our", "how you read"]
                .iter()
                .any(|h| head.contains(h))
        };
    // ("Petit rappel pédagogique :": the lesson's word later in a short heading.)
    let (mut rest, mut later) = (0, false);
    for w in words {
        rest += 1;
        if rest > 4 {
            break;
        }
        later = later || rest <= 3 && super::text::one_of(w, LESSONS);
    }
    let lesson = super::text::one_of(first, LESSONS) && rest <= 4 || rest <= 3 && later;
    (lesson || course).then(|| trace_fmt!("a lesson ('{head}:'), not an order"))
}

/// The word of a picture's caption heading the message ("[Screenshot]", "📸 صورة …").
fn screenshot(text: &str) -> Option<&'static str> {
    const WORDS: &[&str] = &[
        "screenshot",
        "screen",
        "foto",
        "photo",
        "image",
        "picture",
        "görüntüsü",
        "صورة",
        "عکس",
        "اسکرین",
        "скрин",
        "скриншот",
        "captura",
        "captură",
        "imagem",
        "bild",
        "zdjęcie",
        "print",
        "capture",
    ];
    let first = text.trim_start();
    // "Скрин с Bybit: шорт ARB x10, вход 0.2165, ROI +61% 📸": a PnL card, the mark anywhere
    // on its line.
    let line = first.split('\n').next().unwrap_or("");
    if line.contains('📸') && (line.contains("ROI") || line.to_lowercase().contains("pnl")) {
        return Some("📸");
    }
    // "Screenshot von Kevin 📸 [Bild: …]", "Скрин от подписчика 👇": the caption's word first
    // (the first word alone is lower-cased: the rest of the line is only read behind a mark).
    let head = line
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    if !head.is_empty() {
        let head = head.to_lowercase();
        if let Some(w) = WORDS.iter().copied().find(|w| head.starts_with(w)) {
            return Some(w);
        }
    }
    if !first.starts_with(['[', '📸', '🖼', '📷']) && !line.contains('📸') {
        return None;
    }
    let lower = line.to_lowercase();
    // "📸 سود یکی از اعضا: …": the camera heading a caption that names a gain.
    WORDS
        .iter()
        .copied()
        .find(|w| lower.contains(w))
        .or_else(|| {
            (first.starts_with('📸') && GAIN_WORDS.iter().any(|w| lower.contains(w)))
                .then_some("📸")
        })
}

/// "ยังซื้อ EURUSD ที่ 1.1600 ได้ไหมครับ": a question asked with a particle (or English's word
/// order) instead of a mark.
pub(crate) fn asked_by_particle(text: &str, lexed: &Lexed) -> bool {
    use super::lexicon::Lang;
    // "ปิดหรือถือดีครับ": "close or hold, which is better?"; "ควรทำยังไงดีครับ": "what should I
    // do?"
    let thai = || {
        text.contains("ไหม")
            || text.contains("มั้ย")
            || text.contains("ยังไง")
            || text.contains("หรือ") && text.contains("ดี")
            // "ใครเลื่อน SL บังทุนไปแล้วบ้างครับ": "who has … already?"
            || text.contains("ใคร") && text.contains("บ้าง")
    };
    // "có ổn không ạ", "được không ad": Vietnamese asks with "không" and a politeness word.
    let vietnamese = || {
        [
            "không ạ",
            "ko ạ",
            "không ad",
            "không anh",
            "không a ",
            "được không",
            "đc không",
        ]
        .iter()
        .any(|q| text.contains(q))
    };
    // "should i sell my $TRUMP or hold": English asks by putting the verb first.
    let inverted = || {
        let mut words = text
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty());
        words.next().is_some_and(|w| {
            super::text::one_of(w, &["should", "shall", "can", "could", "do", "does", "is"])
        }) && words
            .next()
            .is_some_and(|w| super::text::one_of(w, &["i", "we", "you", "it", "this"]))
    };
    // "eurjpy sell 179.60 sl 180.10 tp 178.80, what do u guys think": an opinion asked for,
    // with no mark.
    let opinion = || {
        // (Most messages have none of the words: no lower-case copy for them.)
        let worded = lexed.tokens.iter().any(|t| {
            t.kind == super::tokens::Kind::Word
                && text
                    .get(t.start..t.end)
                    .is_some_and(|w| super::text::one_of(w, &["think", "thoughts", "wdyt"]))
        });
        if !worded {
            return false;
        }
        let lower = text.to_lowercase();
        [
            "what do you think",
            "what do u think",
            "what do you guys think",
            "what do u guys think",
            "wdyt",
            "your thoughts",
            "any thoughts",
            "thoughts guys",
        ]
        .iter()
        .any(|q| lower.contains(q))
    };
    lexed.speaks(Lang::Th) && thai()
        || lexed.speaks(Lang::Vi) && vietnamese()
        || inverted()
        || lexed.speaks(Lang::En) && opinion()
}

/// The status of a live trade, as a bot's card states it.
const LIVE_WORDS: &[&str] = &["active", "live", "running", "open", "opened", "activated"];

/// "Example" in the languages: a ticket shown, not given.
const EXAMPLE_WORDS: &[&str] = &[
    "example",
    "sample",
    "ejemplo",
    "exemplo",
    "exemple",
    "beispiel",
    "esempio",
    "przykład",
    "voorbeeld",
    "exemplu",
    "contoh",
    "ví dụ",
    "مثال",
    "نمونه",
    "пример",
    "например",
    "приклад",
    "örnek",
    "udaharan",
    "mfano",
    "例如",
    "示例",
    "tutorial",
    "hypothetical",
    "illustration",
    "illustrative",
    "template",
    "demostración",
    "demostracion",
    "ejemplos",
    "amostra",
    "exemplos",
    "demonstração",
    "demonstracao",
    "exemples",
    "démonstration",
    "demonstration",
    "beispiele",
    "bsp",
    "vorlage",
    "esempi",
    "dimostrazione",
    "примера",
    "примеры",
    "образец",
    "наприклад",
    "зразок",
    "مثلا",
    "مثلاً",
    "عينة",
    "ornek",
    "örneğin",
    "ornegin",
    "przyklad",
    "przykładowo",
    "przykladowo",
    "misaal",
    "misal",
    "उदाहरण",
    "मिसाल",
    "misalnya",
    "cth",
    "bijvoorbeeld",
    "voorbeelden",
    "例子",
    "比如",
    "比方说",
    "比方說",
    "范例",
    "範例",
    "示范",
    "示範",
    "教学",
    "教學",
    "教程",
    "新手课堂",
    "新手課堂",
    "课堂",
    "課堂",
    "讲解",
    "講解",
    "案例",
    "模拟盘",
    "模擬盤",
    "例えば",
    "たとえば",
    "例として",
    "具体例",
    "参考例",
    "サンプル",
    "見本",
    "練習",
    "講座",
    "勉強会",
    "初心者向け",
    "教材",
    "チュートリアル",
    "デモ口座",
    "架空",
    "예시",
    "예를들어",
    "예제",
    "샘플",
    "강의",
    "교육용",
    "튜토리얼",
    "모의투자",
    "vd",
    "ตัวอย่าง",
    "ยกตัวอย่าง",
    "สมมติ",
    "สมมุติ",
    "บทเรียน",
    "สำหรับมือใหม่",
    "คอร์ส",
    "บัญชีเดโม่",
    "เดโม่",
    "halimbawa",
    "halimbawang",
    "leksyon",
    "aralin",
    "mifano",
    "somo",
    "wanaoanza",
    "majaribio",
    "παράδειγμα",
    "παραδειγμα",
    "παραδείγματα",
    "παραδειγματα",
    "μάθημα",
    "μαθημα",
    "εκπαιδευτικό",
    "εκπαιδευτικο",
    "δοκιμαστικό",
    "δοκιμαστικο",
    "příklad",
    "priklad",
    "například",
    "napriklad",
    "např",
    "ukázka",
    "ukazka",
    "vzorový",
    "vzorovy",
    "výuka",
    "vyuka",
    "lekce",
    "návod",
    "navod",
    "мысал",
    "мысалы",
    "мысалға",
    "үлгі",
    "сабақ",
    "бастаушыларға",
    "উদাহরণ",
    "উদাহরণস্বরূপ",
    "শিক্ষামূলক",
    "টিউটোরিয়াল",
    "ডেমো",
    "سبق",
    "تعلیمی",
    "ٹیوٹوریل",
    "ڈیمو",
    "सबक",
    "ट्यूटोरियल",
    "डेमो",
    "sabak",
];

/// A ticket whose targets are marked one by one, some hit (`TP1 2360 ✅`) and some not (`TP3 2380
/// ⏳`, or no mark): a status card of a trade already running. A channel that puts ✅ after every
/// target is decorating them (a runner left "OPEN" aside); the marks are read only when they
/// differ.
fn targets_marked(text: &str, lexed: &Lexed, r: &OpenReading<'_>) -> Option<String> {
    if !text.contains(['✅', '✔', '☑']) {
        return None;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let mut hit = 0;
    let mut total = 0;
    let mut waiting = false;
    let mut last_line = None;
    // "TP4 4514 OPEN": a runner, neither hit nor waiting.
    let runner = |line: usize| {
        lexed
            .tokens
            .iter()
            .any(|t| t.line == line && t.class == Some(Class::Open))
    };
    for t in &lexed.tokens {
        // A target named in a note ("BE after TP1 ✅") is no target line.
        let holds_target = r.tps.iter().any(|tp| tp.line == t.line);
        // "TAKE 4262 ✅": the take profit without its second word, too.
        if !matches!(t.class, Some(Class::Tp | Class::Take))
            || last_line == Some(t.line)
            || runner(t.line)
            || !holds_target
        {
            continue;
        }
        last_line = Some(t.line);
        let Some(line) = lines.get(t.line) else {
            continue;
        };
        let Some(last_digit) = line.rfind(|c: char| c.is_ascii_digit()) else {
            continue;
        };
        total += 1;
        let tail = &line[last_digit..];
        // "Entry: 94200 - 93600 / ✅ Target 1 - 94800", no stop: the targets ticked at their
        // heads under a plain entry line (a ticket's lines each under its own emoji — "🔴 SELL",
        // "⛔ SL", "✅ TP" — are decoration).
        let head_ticked = r.sl.is_none()
            && line.trim_start().starts_with(['✅', '✔', '☑'])
            && !r.entries.is_empty()
            && r.entries.iter().all(|&(_, l)| {
                lines.get(l).is_some_and(|e| {
                    e.trim_start()
                        .starts_with(|c: char| c.is_alphanumeric() || c == '#' || c == '$')
                })
            });
        if tail.contains(['✅', '✔', '☑']) || head_ticked {
            hit += 1;
        }
        waiting |= line.contains(['⏳', '⌛']);
    }
    // Every target ticked is a template's decoration, unless the gain is reported too ("TP1
    // 4212 ✅ / TP2 4205 ✅ / +250 pips banked"), or the targets are named by their index alone
    // ("Hedef 1 ✅ / Hedef 2 ✅"): no ticket gives a target as "1".
    let indices = r.tps.iter().all(|t| {
        matches!(t.target, crate::model::Target::Price(v) if v.fract() == 0.0 && (1.0..10.0).contains(&v))
    });
    // "Relembrando o sinal de ontem": a call of an earlier day, recalled, is a report too.
    // A promotion beside it ("VIP slots open 👉 DM") shows the hits as proof.
    let gain = r.pip_gain.is_some()
        || indices
        || lexed.tokens.iter().any(|t| t.is(Class::Promo))
        || lexed
            .tokens
            .iter()
            .any(|t| t.is(Class::Result) || t.is(Class::Earlier));
    // With no stop to copy, no ticket is decorated so: every target ticked is their hits.
    (hit > 0 && (hit < total || waiting || gain || r.sl.is_none()))
        .then(|| format!("{hit} of {total} hit"))
}

/// The close word at `i` names a candle's close: "H1 close", "daily close", "candle close".
fn after_a_candle(text: &str, lexed: &Lexed, i: usize) -> bool {
    i.checked_sub(1)
        .and_then(|j| lexed.tokens.get(j))
        .and_then(|p| text.get(p.start..p.end))
        .is_some_and(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "candle"
                    | "daily"
                    | "hourly"
                    | "weekly"
                    | "h1"
                    | "h4"
                    | "m15"
                    | "m30"
                    | "d1"
                    | "1h"
                    | "4h"
                    | "15m"
                    | "30m"
                    | "session"
                    | "market"
            )
        })
}
