//! Takes the terminal as the console does, draws once, then panics: the end-to-end test in
//! tests/console.rs runs it in tmux and checks the terminal is given back (canonical mode, echo,
//! the main screen) with the panic message readable.

fn main() -> std::io::Result<()> {
    let mut guard = signalos::tui::terminal::TerminalGuard::enter()?;
    guard.terminal.draw(|frame| {
        frame.render_widget("signalos console, about to panic", frame.area());
    })?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    panic!("a deliberate panic inside the console");
}
