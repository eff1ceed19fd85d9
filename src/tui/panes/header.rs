//! The top lines: mode, money, links, clock, and the armed confirmation.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::api::LinkState;
use crate::config::keymap::{Context, UiAction};
use crate::model::Mode;
use crate::tui::app::Risky;
use crate::tui::format;
use crate::tui::view::View;

pub const HEIGHT: u16 = 3;

/// The relay's name among the links: shown with its viewer count, or as OFF.
pub const RELAY_LINK: &str = "relay";

/// The fewest characters of a link's reason worth showing.
const MIN_REASON: usize = 24;

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let style = view.theme.style("header");
    let rows = [0, 1, 2].map(|i| Rect {
        y: area.y + i,
        height: 1,
        ..area
    });
    frame.render_widget(
        Paragraph::new(money_line(view, area.width)).style(style),
        rows[0],
    );
    // Minutes only: a clock ticking seconds would redraw an idle screen every second.
    let clock = format!("{} UTC", format::minute(view.now));
    // The links stop short of the clock: a long reason is cut, never written over it.
    let links = Rect {
        width: rows[1]
            .width
            .saturating_sub(clock.chars().count() as u16 + 1),
        ..rows[1]
    };
    frame.render_widget(Paragraph::new("").style(style), rows[1]);
    frame.render_widget(
        Paragraph::new(links_line(view, links.width)).style(style),
        links,
    );
    frame.render_widget(
        Paragraph::new(clock)
            .style(style)
            .alignment(Alignment::Right),
        rows[1],
    );
    frame.render_widget(Paragraph::new(third_line(view)), rows[2]);
}

fn money_line(view: &View, width: u16) -> Line<'static> {
    let theme = view.theme;
    let state = view.state;
    let (mode_key, mode_word) = match state.mode {
        Mode::Active => ("mode.active", " ACTIVE "),
        Mode::Paused => ("mode.paused", " PAUSED "),
        Mode::Halted => ("mode.halted", " ■ HALTED ■ "),
    };
    let mut spans = vec![Span::styled(mode_word, theme.style(mode_key))];
    let Some(account) = &state.account else {
        spans.push(Span::styled("  no account yet", theme.style("text.dim")));
        return Line::from(spans);
    };
    let wide = width >= 120;
    let label = |short: &'static str, long: &'static str| if wide { long } else { short };
    spans.push(Span::raw(format!(
        "  {} {}  {} {}",
        label("Bal", "Balance"),
        format::amount(account.balance),
        label("Eq", "Equity"),
        format::amount(account.equity),
    )));
    // Narrow: the positions pane totals the floating P&L and the equity pane the session's.
    if wide {
        let floating = state.floating_pnl();
        spans.push(Span::raw("  Floating "));
        spans.push(Span::styled(format::pnl(floating), theme.pnl(floating)));
    }
    if let Some(start) = state.session_start_equity.filter(|_| wide) {
        let session = account.equity - start;
        spans.push(Span::raw(format!("  {} ", label("Sess", "Session"))));
        spans.push(Span::styled(format::pnl(session), theme.pnl(session)));
    }
    if let Some(day) = &state.day {
        let pnl = account.equity - day.start_equity;
        spans.push(Span::raw("  Day "));
        spans.push(Span::styled(format::pnl(pnl), theme.pnl(pnl)));
        if day.loss_limit_percent > 0.0 {
            let limit = day.start_equity * day.loss_limit_percent / 100.0;
            spans.push(Span::raw(format!("/-{}", format::amount(limit))));
            if wide {
                spans.push(Span::styled(
                    format!(" ({:.0}% used)", (-pnl).max(0.0) / limit * 100.0),
                    theme.style("text.dim"),
                ));
            }
        }
        if wide && day.loss_limit_percent <= 0.0 && day.drawdown_limit_percent <= 0.0 {
            spans.push(Span::styled(" (no daily limit)", theme.style("text.dim")));
        }
        if day.tripped.is_some() {
            spans.push(Span::styled(" LIMIT HIT", theme.style("mode.halted")));
        }
    }
    let level = account
        .margin_level()
        .map_or_else(|| "—".to_string(), |l| format!("{:.0}%", l));
    spans.push(Span::raw(format!(
        "  {} {level}",
        label("ML", "Margin level")
    )));
    if wide {
        spans.push(Span::styled(
            format!(
                "  {} #{} {}",
                account.server, account.login, account.currency
            ),
            theme.style("text.dim"),
        ));
    }
    Line::from(spans)
}

/// A link state's theme key, glyph and word.
fn looks(state: LinkState) -> (&'static str, &'static str, &'static str) {
    match state {
        LinkState::Up => ("link.up", "●", "UP"),
        LinkState::Synced => ("link.up", "●", "SYNCED"),
        LinkState::Degraded => ("link.degraded", "◐", "DEGRADED"),
        LinkState::Retrying => ("link.degraded", "◐", "RETRYING"),
        LinkState::Down => ("link.down", "○", "DOWN"),
        LinkState::Connecting => ("link.connecting", "◌", "CONNECTING"),
        LinkState::Handshaking => ("link.connecting", "◌", "HANDSHAKE"),
    }
}

fn links_line(view: &View, width: u16) -> Line<'static> {
    let theme = view.theme;
    let mut spans = Vec::new();
    // A remote console shows first how it reaches the engine: everything else is as of then.
    if let Some(link) = &view.app.engine_link {
        let (key, glyph, word) = looks(link.state);
        spans.push(Span::raw("engine "));
        spans.push(Span::styled(format!("{glyph} {word}"), theme.style(key)));
        if !link.detail.is_empty() {
            spans.push(Span::styled(
                format!(" {}", link.detail),
                theme.style("text.dim"),
            ));
        }
    }
    for (name, link) in &view.state.links {
        if name == RELAY_LINK {
            continue;
        }
        let (key, glyph, word) = looks(link.state);
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        // Narrow: "demo" says as much as "source:demo".
        let name = if width < 100 {
            name.strip_prefix("source:").unwrap_or(name)
        } else {
            name
        };
        spans.push(Span::raw(format!("{name} ")));
        spans.push(Span::styled(format!("{glyph} {word}"), theme.style(key)));
    }
    // The relay is always shown: whether anyone is watching, or could, is worth knowing.
    if !spans.is_empty() {
        spans.push(Span::raw("  "));
    }
    match view.state.links.get(RELAY_LINK) {
        Some(link) if link.state == LinkState::Up => {
            spans.push(Span::raw("relay "));
            spans.push(Span::styled(
                format!("● {}", link.detail),
                theme.style("link.up"),
            ));
        }
        Some(link) => {
            spans.push(Span::raw("relay "));
            spans.push(Span::styled(
                format!("○ {}", link.state.to_string().to_uppercase()),
                theme.style("link.down"),
            ));
        }
        None => {
            spans.push(Span::raw("relay "));
            spans.push(Span::styled("○ OFF", theme.style("link.off")));
        }
    }
    // Why a link is not up (a refused EA, a missing file) must be readable without the log.
    if let Some((name, link)) = view.state.links.iter().find(|(n, l)| {
        *n != RELAY_LINK
            && !matches!(l.state, LinkState::Up | LinkState::Synced)
            && !l.detail.is_empty()
    }) {
        let reason = format!("  — {name}: {}", link.detail);
        let used: usize = spans.iter().map(|s| s.width()).sum();
        // A reason cut to a few letters says nothing: shown only with room for most of it.
        if used + reason.chars().count().min(MIN_REASON) <= usize::from(width) {
            spans.push(Span::styled(reason, theme.style("text.dim")));
        }
    }
    Line::from(spans)
}

/// The armed confirmation when there is one (it must not be missed), else why the mode is what it is.
fn third_line(view: &View) -> Line<'static> {
    let theme = view.theme;
    let key_of = |action: UiAction| {
        view.keymap
            .key_for(view.app.focus.context(), action)
            .or_else(|| view.keymap.key_for(Context::Global, action))
            .map_or_else(|| action.name().to_string(), |k| k.to_string())
    };
    if let Some(armed) = &view.app.armed {
        let what = match armed.risky {
            Risky::EmergencyStop => {
                "EMERGENCY STOP: cancel all orders, close all positions".to_string()
            }
            Risky::Resume => "RESUME trading".to_string(),
            Risky::Stealth if view.state.stealth => {
                "turn STEALTH OFF: the broker holds the levels again".to_string()
            }
            Risky::Stealth => {
                "turn STEALTH ON: SignalOS holds SL/TP, unprotected while it is not running"
                    .to_string()
            }
            Risky::Resync => "RESYNC: drop the link, reconcile with the terminal".to_string(),
            Risky::Breakeven(ticket) => {
                let position = view.state.positions.get(&ticket);
                match position {
                    Some(p) => format!(
                        "move the SL of #{} {} {} to its entry {}",
                        p.ticket,
                        p.symbol,
                        p.side,
                        format::price(
                            p.open_price,
                            view.state.symbols.get(&p.symbol).map(|s| s.digits)
                        )
                    ),
                    None => "move the SL to the entry".to_string(),
                }
            }
            Risky::CancelOrder(ticket) => {
                let order = view.state.orders.get(&ticket);
                match order {
                    Some(o) => format!(
                        "CANCEL #{} {} {} {} {}",
                        o.ticket,
                        o.symbol,
                        o.side,
                        o.order_type.to_string().to_uppercase(),
                        format::lots(o.volume)
                    ),
                    None => "CANCEL the order".to_string(),
                }
            }
            Risky::ClosePosition(ticket) => {
                let position = view.state.positions.get(&ticket);
                match position {
                    Some(p) => format!(
                        "CLOSE #{} {} {} {} ({})",
                        p.ticket,
                        p.symbol,
                        p.side,
                        format::lots(p.volume),
                        format::pnl(p.net_profit())
                    ),
                    None => "CLOSE the position".to_string(),
                }
            }
        };
        return Line::from(Span::styled(
            format!(" ⚠ press {} again to {what} ", key_of(armed.risky.action())),
            theme.style("confirm"),
        ));
    }
    let state = view.state;
    // A remote console cut off from its engine shows the last it heard: it must not pass for live.
    if let Some(link) = view
        .app
        .engine_link
        .as_ref()
        .filter(|l| l.state != LinkState::Up)
    {
        return Line::styled(
            format!(
                "NOT LIVE: no link to the engine ({}) — everything shown is as it was when the link was lost",
                link.detail
            ),
            theme.style("warning"),
        );
    }
    match state.mode {
        // Positions with no stop at the broker must never go unnoticed.
        Mode::Active if state.stealth => Line::styled(
            "STEALTH: stop losses and take profits are held by SignalOS, not the broker — unprotected while it is not running",
            theme.style("warning"),
        ),
        Mode::Active if state.mode_reason.is_empty() => Line::default(),
        Mode::Active => Line::styled(state.mode_reason.clone(), theme.style("text.dim")),
        Mode::Paused | Mode::Halted => {
            let (word, key) = if state.mode == Mode::Halted {
                ("HALTED", "mode.halted")
            } else {
                ("PAUSED", "mode.paused")
            };
            Line::from(vec![
                Span::styled(format!("{word}: "), theme.style(key)),
                Span::raw(format!("{} ", state.mode_reason)),
                Span::styled(
                    match view.app.read_only() {
                        Some(_) => "— an operator can resume".to_string(),
                        None => format!("— press {} twice to resume", key_of(UiAction::Resume)),
                    },
                    theme.style("text.dim"),
                ),
            ])
        }
    }
}
