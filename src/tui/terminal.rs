//! The terminal is always given back: raw mode off and the main screen restored on every way out —
//! return, error, signal, and panic (a chained hook restores before the previous hook prints).

use std::io::{self, Stdout, stdout};
use std::mem::ManuallyDrop;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Buffer;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::{Frame, Terminal};

/// Whether this process has the terminal in raw mode now, so the panic hook (installed once, for
/// the life of the process) only restores what is ours to restore.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

pub struct TerminalGuard {
    /// Never dropped: ratatui's `Drop` prints to stderr when it cannot show the cursor, and printing
    /// to a terminal that has gone (a dropped SSH session) panics. [`restore`] shows the cursor.
    pub terminal: ManuallyDrop<Terminal<CrosstermBackend<Stdout>>>,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let entered = execute!(stdout(), EnterAlternateScreen)
            .and_then(|()| Terminal::new(CrosstermBackend::new(stdout())));
        match entered {
            Ok(terminal) => Ok(TerminalGuard {
                terminal: ManuallyDrop::new(terminal),
            }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Draw a frame, writing to the terminal only when it differs from the last one written: an
/// unchanged screen costs a render in memory and not a byte on the wire. Returns whether it wrote.
pub fn paint<B: Backend>(
    terminal: &mut Terminal<B>,
    last: &mut Option<Buffer>,
    render: impl FnOnce(&mut Frame),
) -> Result<bool, B::Error> {
    terminal.autoresize()?;
    let mut frame = terminal.get_frame();
    render(&mut frame);
    if last.as_ref() == Some(&*terminal.current_buffer_mut()) {
        // Left as it is, the next frame would be rendered over this one's cells.
        terminal.current_buffer_mut().reset();
        return Ok(false);
    }
    *last = Some(terminal.current_buffer_mut().clone());
    terminal.apply_buffer()?;
    Ok(true)
}

/// Give the terminal back; harmless when already done. Errors are ignored: there is nobody left to
/// tell, and a failing restore must not hide the error or panic that led here.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(stdout(), LeaveAlternateScreen, Show);
    }
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
