//! The small forms for one trade: close part, modify SL/TP, trail. Each reads its fields, checks
//! them as the broker would, and shows what the result would risk before anything is sent. The
//! engine checks again: the form only spares the trader a refusal and shows the money.

use crate::api::{Action, State};
use crate::engine::plan::position_levels_ok;
use crate::model::{Position, SymbolSpec};
use crate::tui::format;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    ClosePart,
    Modify,
    Trail,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: &'static str,
    pub text: String,
    /// What an empty field means, or what goes in it.
    pub hint: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub ticket: u64,
    pub fields: Vec<Field>,
    pub focus: usize,
}

/// A valid form: what it sends, and what it would do, in lines a trader reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub action: Action,
    pub lines: Vec<String>,
}

impl Form {
    /// A form for `position`, filled with what it has now.
    pub fn open(kind: FormKind, position: &Position, spec: Option<&SymbolSpec>) -> Form {
        let level = |p: Option<f64>| {
            p.map_or_else(String::new, |p| format::price(p, spec.map(|s| s.digits)))
        };
        let fields = match kind {
            FormKind::ClosePart => vec![Field {
                label: "Close %",
                text: "50".into(),
                hint: "1–99 percent of the lots",
            }],
            FormKind::Modify => vec![
                Field {
                    label: "SL",
                    text: level(position.sl),
                    hint: "a price; empty removes the stop loss",
                },
                Field {
                    label: "TP",
                    text: level(position.tp),
                    hint: "a price; empty removes the take profit",
                },
            ],
            FormKind::Trail => vec![Field {
                label: "Pips",
                text: String::new(),
                hint: "pips behind the price; 0 returns it to its signal's rules",
            }],
        };
        Form {
            kind,
            ticket: position.ticket,
            fields,
            focus: 0,
        }
    }

    pub fn title(&self) -> String {
        match self.kind {
            FormKind::ClosePart => format!("Close part of #{}", self.ticket),
            FormKind::Modify => format!("Modify SL/TP of #{}", self.ticket),
            FormKind::Trail => format!("Trail the SL of #{}", self.ticket),
        }
    }

    pub fn type_char(&mut self, c: char) {
        // Only what a number is written with: a stray letter never reaches a price.
        if c.is_ascii_digit() || c == '.' || c == ',' {
            if let Some(field) = self.fields.get_mut(self.focus) {
                field.text.push(if c == ',' { '.' } else { c });
            }
        }
    }

    pub fn backspace(&mut self) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.text.pop();
        }
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev_field(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// Check the fields against the position as it is now; `Err` says what is wrong.
    pub fn evaluate(&self, state: &State) -> Result<Preview, String> {
        let p = state
            .positions
            .get(&self.ticket)
            .ok_or_else(|| format!("position #{} is no longer open", self.ticket))?;
        let spec = state
            .symbols
            .get(&p.symbol)
            .ok_or_else(|| format!("no symbol data for {} yet", p.symbol))?;
        let equity = state.account.as_ref().map_or(0.0, |a| a.equity);
        match self.kind {
            FormKind::ClosePart => close_part(self, p, spec, equity),
            FormKind::Modify => modify(self, p, spec, equity),
            FormKind::Trail => trail(self, p, spec),
        }
    }

    fn number(&self, i: usize) -> Result<Option<f64>, String> {
        let field = &self.fields[i.min(self.fields.len().saturating_sub(1))];
        let text = field.text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
            _ => Err(format!("{}: {text:?} is not a number", field.label)),
        }
    }
}

/// The money `volume` lots of `p` make or lose if closed at `price` (negative: a loss).
fn money_at(p: &Position, spec: &SymbolSpec, volume: f64, price: f64) -> f64 {
    p.side.sign() * spec.profit(volume, p.open_price, price)
}

/// "−49.00 (0.49% of equity)".
fn with_share(money: f64, equity: f64) -> String {
    if equity > 0.0 {
        format!(
            "{} ({:.2}% of equity)",
            format::pnl(money),
            money.abs() / equity * 100.0
        )
    } else {
        format::pnl(money)
    }
}

/// What a stop loss at `sl` means for `volume` lots: a loss limited to, or a profit locked in.
fn at_stop(p: &Position, spec: &SymbolSpec, volume: f64, sl: Option<f64>, equity: f64) -> String {
    match sl {
        None => "no stop loss: the loss is not limited".into(),
        Some(sl) => {
            let money = money_at(p, spec, volume, sl);
            if money < 0.0 {
                format!(
                    "at the SL {}: {}",
                    format::price(sl, Some(spec.digits)),
                    with_share(money, equity)
                )
            } else {
                format!(
                    "at the SL {}: locks in {}",
                    format::price(sl, Some(spec.digits)),
                    format::pnl(money)
                )
            }
        }
    }
}

fn close_part(
    form: &Form,
    p: &Position,
    spec: &SymbolSpec,
    equity: f64,
) -> Result<Preview, String> {
    let percent = form
        .number(0)?
        .ok_or("Close %: how much to close, 1–99 (the close key closes it whole)")?;
    if !(percent > 0.0 && percent < 100.0) {
        return Err(format!(
            "Close %: between 1 and 99, not {percent} (the close key closes it whole)"
        ));
    }
    let part = spec.volume_down(p.volume * percent / 100.0);
    let rest = ((p.volume - part) * 1e8).round() / 1e8;
    if part < spec.volume_min {
        return Err(format!(
            "{percent}% of {} lots is {} lots, under the {} lot minimum",
            format::lots(p.volume),
            format::lots(part),
            format::lots(spec.volume_min)
        ));
    }
    if rest < spec.volume_min {
        return Err(format!(
            "{} lots would stay open, under the {} lot minimum: close it whole instead",
            format::lots(rest),
            format::lots(spec.volume_min)
        ));
    }
    let realised = money_at(p, spec, part, p.current_price);
    Ok(Preview {
        action: Action::ClosePart {
            ticket: p.ticket,
            fraction: percent / 100.0,
        },
        lines: vec![
            format!(
                "closes {} of {} lots at {}: realises {}",
                format::lots(part),
                format::lots(p.volume),
                format::price(p.current_price, Some(spec.digits)),
                format::pnl(realised)
            ),
            format!(
                "{} lots stay open; {}",
                format::lots(rest),
                at_stop(p, spec, rest, p.sl, equity)
            ),
        ],
    })
}

fn modify(form: &Form, p: &Position, spec: &SymbolSpec, equity: f64) -> Result<Preview, String> {
    let sl = form.number(0)?.map(|v| spec.round_price(v));
    let tp = form.number(1)?.map(|v| spec.round_price(v));
    // Checked as the engine checks them, so the form refuses what the engine would.
    position_levels_ok(p, sl, tp, spec)?;
    let digits = Some(spec.digits);
    let mut lines = vec![at_stop(p, spec, p.volume, sl, equity)];
    let reward = tp.map(|tp| money_at(p, spec, p.volume, tp));
    match (tp, reward) {
        (Some(tp), Some(reward)) => {
            lines.push(format!(
                "at the TP {}: {}",
                format::price(tp, digits),
                format::pnl(reward)
            ));
            let risk = sl.map(|sl| money_at(p, spec, p.volume, sl));
            if let Some(risk) = risk.filter(|r| *r < 0.0) {
                lines.push(format!(
                    "reward to risk {:.2} from the entry",
                    reward / risk.abs()
                ));
            }
        }
        _ => lines.push("no take profit".into()),
    }
    if sl == p.sl && tp == p.tp {
        lines.push("nothing changes".into());
    }
    Ok(Preview {
        action: Action::ModifyPosition {
            ticket: p.ticket,
            sl,
            tp,
        },
        lines,
    })
}

fn trail(form: &Form, p: &Position, spec: &SymbolSpec) -> Result<Preview, String> {
    let pips = form
        .number(0)?
        .ok_or("Pips: how far behind the price the SL follows")?;
    if pips == 0.0 {
        return Ok(Preview {
            action: Action::Trail {
                ticket: p.ticket,
                pips,
            },
            lines: vec!["the SL follows its signal's rules again".into()],
        });
    }
    let digits = Some(spec.digits);
    let stop = spec.round_price(p.current_price - p.side.sign() * pips * spec.pip());
    let better = p.sl.is_none_or(|sl| p.side.sign() * (stop - sl) > 0.0);
    let line = if better {
        let money = money_at(p, spec, p.volume, stop);
        format!(
            "the SL moves now to {} ({} there)",
            format::price(stop, digits),
            format::pnl(money)
        )
    } else {
        format!(
            "the SL stays at {} until the price gains {} more pips",
            format::price(p.sl.unwrap_or(stop), digits),
            format::pips(p.side.sign() * (p.sl.unwrap_or(stop) - stop) / spec.pip())
        )
    };
    Ok(Preview {
        action: Action::Trail {
            ticket: p.ticket,
            pips,
        },
        lines: vec![
            format!("the SL follows {pips} pips behind the price, never back"),
            line,
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Mode, Side};
    use crate::tui::fixture;

    /// The fixture's first position: a gold buy.
    fn gold(state: &State) -> &Position {
        state
            .positions
            .values()
            .find(|p| p.symbol == "XAUUSD" && p.side == Side::Buy)
            .unwrap_or_else(|| panic!("fixture has a gold buy"))
    }

    fn form(kind: FormKind, state: &State, texts: &[&str]) -> Form {
        let p = gold(state);
        let mut form = Form::open(kind, p, state.symbols.get(&p.symbol));
        for (field, text) in form.fields.iter_mut().zip(texts) {
            field.text = (*text).into();
        }
        form
    }

    #[test]
    fn close_half_shows_what_is_realised_and_what_stays_at_risk() {
        let state = fixture::state(Mode::Active);
        let p = gold(&state).clone();
        let preview = form(FormKind::ClosePart, &state, &["50"])
            .evaluate(&state)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            preview.action,
            Action::ClosePart {
                ticket: p.ticket,
                fraction: 0.5
            }
        );
        assert!(
            preview.lines[0].starts_with("closes 0.05 of 0.10 lots"),
            "{preview:?}"
        );
        assert!(
            preview.lines[1].starts_with("0.05 lots stay open; at the SL"),
            "{preview:?}"
        );
    }

    #[test]
    fn close_part_refuses_nothing_everything_and_crumbs() {
        let state = fixture::state(Mode::Active);
        for (text, expected) in [
            ("", "how much"),
            ("0", "between 1 and 99"),
            ("100", "between 1 and 99"),
            ("1", "under the 0.01 lot minimum"),
        ] {
            let err = form(FormKind::ClosePart, &state, &[text])
                .evaluate(&state)
                .err()
                .unwrap_or_else(|| panic!("{text:?} accepted"));
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn modify_checks_each_level_is_on_its_side_of_the_price() {
        let state = fixture::state(Mode::Active);
        let p = gold(&state).clone();
        let above = format!("{:.2}", p.current_price + 5.0);
        let below = format!("{:.2}", p.current_price - 5.0);
        let err = form(FormKind::Modify, &state, &[&above, ""])
            .evaluate(&state)
            .err()
            .unwrap_or_default();
        assert!(err.contains("must be below the price"), "{err}");
        let err = form(FormKind::Modify, &state, &["", &below])
            .evaluate(&state)
            .err()
            .unwrap_or_default();
        assert!(err.contains("must be above the price"), "{err}");
        let err = form(FormKind::Modify, &state, &["12x", ""])
            .evaluate(&state)
            .err()
            .unwrap_or_default();
        assert!(err.contains("not a number"), "{err}");
        let preview = form(FormKind::Modify, &state, &[&below, &above])
            .evaluate(&state)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            preview
                .lines
                .iter()
                .any(|l| l.starts_with("reward to risk")),
            "{preview:?}"
        );
    }

    #[test]
    fn modify_tells_a_removed_stop_and_a_locked_profit() {
        let state = fixture::state(Mode::Active);
        let p = gold(&state).clone();
        let preview = form(FormKind::Modify, &state, &["", ""])
            .evaluate(&state)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            preview.action,
            Action::ModifyPosition {
                ticket: p.ticket,
                sl: None,
                tp: None
            }
        );
        assert_eq!(preview.lines[0], "no stop loss: the loss is not limited");
        // A stop above the entry (the fixture's buy is in profit) locks money in.
        let locked = format!("{:.2}", p.open_price + 0.5);
        let preview = form(FormKind::Modify, &state, &[&locked, ""])
            .evaluate(&state)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(preview.lines[0].contains("locks in +"), "{preview:?}");
    }

    #[test]
    fn typing_keeps_to_numbers() {
        let state = fixture::state(Mode::Active);
        let mut f = form(FormKind::Trail, &state, &[""]);
        for c in "1x5,5".chars() {
            f.type_char(c);
        }
        assert_eq!(f.fields[0].text, "15.5");
        f.backspace();
        assert_eq!(f.fields[0].text, "15.");
        let preview = f.evaluate(&state).unwrap_or_else(|e| panic!("{e}"));
        assert!(preview.lines[0].contains("15 pips behind"), "{preview:?}");
    }

    #[test]
    fn a_form_for_a_closed_position_says_so() {
        let mut state = fixture::state(Mode::Active);
        let f = form(FormKind::Trail, &state, &["10"]);
        state.positions.clear();
        let err = f.evaluate(&state).err().unwrap_or_default();
        assert!(err.contains("no longer open"), "{err}");
    }
}
