//! Pending orders: where each waits, how far the price is from it, and the signal it is for.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, Row, Table, TableState};

use crate::model::Side;
use crate::tui::app::Pane;
use crate::tui::panes::positions::right;
use crate::tui::view::{View, pane_block};
use crate::tui::{format, rows};

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let theme = view.theme;
    let state = view.state;
    let shown = rows::orders(state, view.app.filter(Pane::Orders));
    let wide = area.width >= 90;
    let rows: Vec<Row> = shown
        .iter()
        .map(|o| {
            let spec = state.symbols.get(&o.symbol);
            let d = spec.map(|s| s.digits);
            let price = state.quotes.get(&o.symbol).map(|q| o.side.open_price(q));
            // How far the market must move to fill it, in pips.
            let away = price
                .zip(spec)
                .map(|(p, s)| format::pips((o.price - p).abs() / s.pip()));
            let side = match o.side {
                Side::Buy => theme.style("side.buy"),
                Side::Sell => theme.style("side.sell"),
            };
            let level = |p: Option<f64>| p.map_or_else(|| "—".into(), |p| format::price(p, d));
            let mut cells = vec![
                Cell::from(o.symbol.clone()),
                Cell::from(Span::styled(o.side.to_string(), side)),
                Cell::from(o.order_type.to_string().to_uppercase()),
                Cell::from(right(format::lots(o.volume))),
                Cell::from(right(format::price(o.price, d))),
                Cell::from(right(away.unwrap_or_else(|| "—".into()))),
                Cell::from(right(level(o.sl))),
                Cell::from(right(level(o.tp))),
            ];
            if wide {
                cells.push(Cell::from(right(format::age(o.placed_at, view.now))));
                cells.push(Cell::from(right(format::signal_of(
                    &o.cid,
                    &state.instance,
                ))));
                cells.push(Cell::from(o.ticket.to_string()));
            }
            Row::new(cells)
        })
        .collect();
    let mut titles = vec![
        Line::from("Symbol"),
        Line::from("Side"),
        Line::from("Type"),
        right("Lots".into()),
        right("Price".into()),
        right("Away".into()),
        right("SL".into()),
        right("TP".into()),
    ];
    let mut widths = vec![
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(9),
        Constraint::Length(7),
        Constraint::Length(9),
        Constraint::Length(9),
    ];
    if wide {
        titles.extend([
            right("Age".into()),
            right("Signal".into()),
            Line::from("Ticket"),
        ]);
        widths.extend([
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(8),
        ]);
    }
    let header = Row::new(titles).style(theme.style("title"));
    let selected = view
        .app
        .selected_order(state)
        .and_then(|t| shown.iter().position(|o| o.ticket == t))
        .filter(|_| view.app.focus == Pane::Orders);
    let mut table_state = TableState::default().with_selected(selected);
    let block = pane_block(
        view,
        Pane::Orders,
        format!("{} ({})", Pane::Orders.title(), shown.len()),
    );
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme.style("selection"))
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always);
    frame.render_stateful_widget(table, area, &mut table_state);
    if shown.is_empty() && area.height > 3 {
        let empty = if state.orders.is_empty() {
            "none pending"
        } else {
            "no order matches the filter"
        };
        let at = Rect {
            x: area.x + 2,
            y: area.y + 2,
            width: area.width.saturating_sub(4),
            height: 1,
        };
        frame.render_widget(Line::styled(empty, theme.style("text.dim")), at);
    }
}
