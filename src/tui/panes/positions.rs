//! Open positions with live P&L and the signal each came from, the total in the frame.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, Row, Table, TableState};

use crate::model::Side;
use crate::tui::app::Pane;
use crate::tui::view::{View, pane_block};
use crate::tui::{format, rows};

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
    Signal,
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
    (Column::Signal, "Signal", 6),
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
    Column::Signal,
    Column::Ticket,
    Column::Pips,
    Column::Age,
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

    let shown = rows::positions(state, view.app.filter(Pane::Positions));
    let mut rows = Vec::new();
    for p in &shown {
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
            Column::Pnl => {
                let net = p.net_profit();
                Cell::from(right(format::pnl(net)).style(theme.pnl(net)))
            }
            Column::Pips => Cell::from(right(pips.map_or_else(|| "—".into(), format::pips))),
            Column::Age => Cell::from(right(format::age(p.open_time, view.now))),
            Column::Signal => Cell::from(right(format::signal_of(&p.cid, &state.instance))),
        });
        rows.push(Row::new(cells.collect::<Vec<_>>()));
    }
    let header = Row::new(columns.iter().map(|(c, title, _)| {
        if matches!(c, Column::Ticket | Column::Symbol | Column::Side) {
            Line::from(*title)
        } else {
            right(title.to_string())
        }
    }))
    .style(theme.style("title"));
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|(_, _, w)| Constraint::Length(*w))
        .collect();

    // The footer adds up the rows shown: with a filter, those it keeps, named "Shown" (and the
    // title says how many of all), so the title, the rows and the footer tell the same thing.
    let filtered = shown.len() != state.positions.len();
    let floating: f64 = shown.iter().map(|p| p.net_profit()).sum();
    let lots: f64 = shown.iter().map(|p| p.volume).sum();
    let mut total = vec![
        Span::raw(if filtered { " Shown " } else { " Total " }),
        Span::styled(format::pnl(floating), theme.pnl(floating)),
        Span::raw(format!(
            " · {} position{} {} lots",
            shown.len(),
            if shown.len() == 1 { "" } else { "s" },
            format::lots(lots),
        )),
    ];
    total.push(Span::raw(" "));
    let title = if filtered {
        format!("Positions ({} of {})", shown.len(), state.positions.len())
    } else {
        format!("Positions ({})", shown.len())
    };
    let block = pane_block(view, Pane::Positions, title).title_bottom(Line::from(total));

    let empty = shown.is_empty();
    let selected = view
        .app
        .selected_position(state)
        .and_then(|t| shown.iter().position(|p| p.ticket == t));
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
                if state.positions.is_empty() {
                    "flat: no open positions"
                } else {
                    "no position matches the filter"
                },
                theme.style("text.dim"),
            ),
            inner,
        );
    }
}

pub fn right(text: String) -> Line<'static> {
    Line::from(text).right_aligned()
}
