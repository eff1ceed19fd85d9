//! The session's equity as a line, against where the session began.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use crate::tui::app::Pane;
use crate::tui::format;
use crate::tui::view::{View, pane_block};

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let theme = view.theme;
    let points = &view.app.equity;
    let start = view.state.session_start_equity;
    let change = match (start, points.last()) {
        (Some(start), Some((_, now))) => {
            let change = now - start;
            format!(" {}", format::pnl(change))
        }
        _ => String::new(),
    };
    let block = pane_block(view, Pane::Chart, format!("Equity this session{change}"));
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "no account yet: the curve starts with the broker's first figures",
                theme.style("text.dim"),
            ))
            .block(block),
            area,
        );
        return;
    };
    let data: Vec<(f64, f64)> = points
        .iter()
        .map(|(at, equity)| ((at - first.0) as f64 / 1000.0, *equity))
        .collect();
    let baseline: Vec<(f64, f64)> = start
        .map(|s| vec![(0.0, s), (data.last().map_or(0.0, |d| d.0), s)])
        .unwrap_or_default();
    let (mut low, mut high) = data
        .iter()
        .chain(&baseline)
        .fold((f64::MAX, f64::MIN), |(lo, hi), (_, y)| {
            (lo.min(*y), hi.max(*y))
        });
    // A flat session still gets a visible band around its line.
    let pad = ((high - low) * 0.1).max(1.0);
    low -= pad;
    high += pad;
    let span = data.last().map_or(1.0, |d| d.0).max(1.0);
    let mut datasets = vec![
        Dataset::default()
            .name("equity")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.style("chart.line"))
            .data(&data),
    ];
    if !baseline.is_empty() {
        datasets.push(
            Dataset::default()
                .name("session start")
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(theme.style("chart.axis"))
                .data(&baseline),
        );
    }
    let axis = theme.style("chart.axis");
    let chart = Chart::new(datasets)
        .block(block)
        .hidden_legend_constraints((
            ratatui::layout::Constraint::Percentage(0),
            ratatui::layout::Constraint::Percentage(0),
        ))
        .x_axis(Axis::default().style(axis).bounds([0.0, span]).labels([
            Span::raw(format::clock(first.0)),
            Span::raw(format::clock(last.0)),
        ]))
        .y_axis(Axis::default().style(axis).bounds([low, high]).labels([
            Span::raw(format::amount(low)),
            Span::raw(format::amount(high)),
        ]));
    frame.render_widget(chart, area);
}
