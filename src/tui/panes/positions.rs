//! Open positions and pending orders, with the total in the frame.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, Row, Table, TableState};

use crate::model::{OrderType, Side};
use crate::tui::app::Pane;
use crate::tui::format;
use crate::tui::view::{View, pane_block};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Ticket,
    Symbol,
    Side,
    Lots,
    Open,
    Current,
    Sl,
    Tp,
    Pnl,
    Pips,
    Age,
    Cid,
}

/// In screen order, with widths.
const COLUMNS: [(Column, &str, u16); 12] = [
    (Column::Ticket, "Ticket", 8),
    (Column::Symbol, "Symbol", 8),
    (Column::Side, "Side", 4),
    (Column::Lots, "Lots", 5),
    (Column::Open, "Open", 9),
    (Column::Current, "Current", 9),
    (Column::Sl, "SL", 9),
    (Column::Tp, "TP", 9),
    (Column::Pnl, "P&L", 10),
    (Column::Pips, "Pips", 7),
    (Column::Age, "Age", 5),
    (Column::Cid, "Cid", 8),
];

/// What stays when the terminal is narrow, most important first.
const PRIORITY: [Column; 12] = [
    Column::Side,
    Column::Symbol,
    Column::Pnl,
    Column::Lots,
    Column::Current,
    Column::Open,
    Column::Sl,
    Column::Tp,
    Column::Ticket,
    Column::Pips,
    Column::Age,
    Column::Cid,
];

const HIGHLIGHT: &str = "▶ ";

fn fitting(width: u16) -> Vec<(Column, &'static str, u16)> {
    let mut used = 0u16;
    let mut keep = Vec::new();
    for column in PRIORITY {
        let Some(&(_, _, w)) = COLUMNS.iter().find(|(c, _, _)| *c == column) else {
            continue;
        };
        let need = if keep.is_empty() { w } else { w + 1 };
        if used + need <= width {
            used += need;
            keep.push(column);
        }
    }
    COLUMNS
        .into_iter()
        .filter(|(c, _, _)| keep.contains(c))
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let theme = view.theme;
    let state = view.state;
    let inner_width = area
        .width
        .saturating_sub(2 + HIGHLIGHT.chars().count() as u16);
    let columns = fitting(inner_width);
    let digits = |symbol: &str| state.symbols.get(symbol).map(|s| s.digits);
    let side_style = |side: Side| match side {
        Side::Buy => theme.style("side.buy"),
        Side::Sell => theme.style("side.sell"),
    };
    let optional =
        |p: Option<f64>, d: Option<u32>| p.map_or_else(|| "—".into(), |p| format::price(p, d));

    let mut rows = Vec::new();
    for p in state.positions.values() {
        let d = digits(&p.symbol);
        let pips = state.symbols.get(&p.symbol).map(|s| p.pips(s));
        let cells = columns.iter().map(|(c, _, _)| match c {
            Column::Ticket => Cell::from(p.ticket.to_string()),
            Column::Symbol => Cell::from(p.symbol.clone()),
            Column::Side => Cell::from(Span::styled(p.side.to_string(), side_style(p.side))),
            Column::Lots => Cell::from(right(format::lots(p.volume))),
            Column::Open => Cell::from(right(format::price(p.open_price, d))),
            Column::Current => Cell::from(right(format::price(p.current_price, d))),
            Column::Sl => Cell::from(right(optional(p.sl, d))),
            Column::Tp => Cell::from(right(optional(p.tp, d))),
            Column::Pnl => Cell::from(right(format::pnl(p.profit)).style(theme.pnl(p.profit))),
            Column::Pips => Cell::from(right(pips.map_or_else(|| "—".into(), format::pips))),
            Column::Age => Cell::from(right(format::age(p.open_time, view.now))),
            Column::Cid => Cell::from(p.cid.clone()),
        });
        rows.push(Row::new(cells.collect::<Vec<_>>()));
    }
    for o in state.orders.values() {
        let d = digits(&o.symbol);
        let quote = state.quotes.get(&o.symbol).map(|q| o.side.open_price(q));
        let kind = match o.order_type {
            OrderType::Limit => "LIMIT",
            OrderType::Stop => "STOP",
            OrderType::Market => "MARKET",
        };
        let cells = columns.iter().map(|(c, _, _)| match c {
            Column::Ticket => Cell::from(o.ticket.to_string()),
            Column::Symbol => Cell::from(o.symbol.clone()),
            Column::Side => Cell::from(Span::styled(o.side.to_string(), side_style(o.side))),
            Column::Lots => Cell::from(right(format::lots(o.volume))),
            Column::Open => Cell::from(right(format::price(o.price, d))),
            Column::Current => Cell::from(right(optional(quote, d))),
            Column::Sl => Cell::from(right(optional(o.sl, d))),
            Column::Tp => Cell::from(right(optional(o.tp, d))),
            Column::Pnl => Cell::from(right(format!("pend {kind}"))),
            Column::Pips => Cell::from(""),
            Column::Age => Cell::from(right(format::age(o.placed_at, view.now))),
            Column::Cid => Cell::from(o.cid.clone()),
        });
        rows.push(Row::new(cells.collect::<Vec<_>>()).style(theme.style("text.dim")));
    }

    let header = Row::new(columns.iter().map(|(c, title, _)| {
        if matches!(
            c,
            Column::Ticket | Column::Symbol | Column::Side | Column::Cid
        ) {
            Line::from(*title)
        } else {
            right(title.to_string())
        }
    }))
    .style(theme.style("title"));
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|(c, _, w)| {
            if *c == Column::Cid {
                Constraint::Min(*w)
            } else {
                Constraint::Length(*w)
            }
        })
        .collect();

    let floating = state.floating_pnl();
    let lots: f64 = state.positions.values().map(|p| p.volume).sum();
    let mut total = vec![
        Span::raw(" Total "),
        Span::styled(format::pnl(floating), theme.pnl(floating)),
        Span::raw(format!(
            " · {} position{} {} lots",
            state.positions.len(),
            if state.positions.len() == 1 { "" } else { "s" },
            format::lots(lots),
        )),
    ];
    if !state.orders.is_empty() {
        total.push(Span::raw(format!(" · {} pending", state.orders.len())));
    }
    total.push(Span::raw(" "));
    let block = pane_block(
        view,
        Pane::Positions,
        format!("Positions ({})", state.positions.len()),
    )
    .title_bottom(Line::from(total));

    let empty = state.positions.is_empty() && state.orders.is_empty();
    let selected = view
        .app
        .selected_position(state)
        .and_then(|t| state.positions.keys().position(|k| *k == t));
    let mut table_state = TableState::default().with_selected(selected);
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme.style("selection"))
        .highlight_symbol(HIGHLIGHT)
        .highlight_spacing(HighlightSpacing::Always);
    frame.render_stateful_widget(table, area, &mut table_state);
    if empty {
        let inner = Rect {
            x: area.x + 2,
            y: area.y + 2,
            width: area.width.saturating_sub(4),
            height: 1.min(area.height.saturating_sub(3)),
        };
        frame.render_widget(
            Line::styled(
                "flat: no positions, no pending orders",
                theme.style("text.dim"),
            ),
            inner,
        );
    }
}

fn right(text: String) -> Line<'static> {
    Line::from(text).right_aligned()
}
