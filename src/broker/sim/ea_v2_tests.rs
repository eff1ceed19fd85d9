//! The EA review's faults (bridge protocol version 2), on the wire.

use super::*;

/// Fault 4: a trade the EA cannot read is answered by a `result` with its id (and its cid when
/// that can be read), rejected 10013 naming the field; nothing is executed. Only a line whose id
/// cannot be read gets an `error`.
#[tokio::test]
async fn an_unreadable_trade_is_answered_by_a_rejected_result_naming_the_field() {
    let rig = Rig::start(&[]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    engine.trade(1, buy("open")).await;
    let ticket = done_ticket(&engine.result(1).await);
    let lines = [
        (
            2,
            format!(
                r#"{{"type":"trade","id":2,"request":{{"op":"modify","cid":"m","ticket":{ticket},"tp":null}}}}"#
            ),
            "m",
            "modify: field sl is missing (a price, or null to remove the stop)",
        ),
        (
            3,
            format!(r#"{{"type":"trade","id":3,"request":{{"op":"close","ticket":{ticket}}}}}"#),
            "",
            "close: field cid is missing (text, the client order id); field volume is missing (a volume, or null to close the whole position)",
        ),
        (
            4,
            r#"{"type":"trade","id":4,"request":{"op":"place","cid":"p","symbol":"XAUUSD","side":"buy","order_type":"market","volume":"lots","price":null,"sl":null,"tp":null}}"#.to_string(),
            "p",
            "place: field volume is \"lots\" (a volume in lots)",
        ),
        (
            5,
            r#"{"type":"trade","id":5,"request":{"op":"explode","cid":"x"}}"#.to_string(),
            "x",
            "request: op \"explode\" is unknown (place, modify, close or cancel)",
        ),
    ];
    for (id, line, cid, why) in lines {
        engine.raw(format!("{line}\n").as_bytes()).await;
        let answer = loop {
            match engine.next().await {
                FromEa::Position { .. } => {}
                other => break other,
            }
        };
        let FromEa::Result {
            id: got,
            cid: of,
            outcome,
        } = answer
        else {
            panic!("{line}: expected a result, got {answer:?}");
        };
        assert_eq!((got, of.as_str()), (id, cid));
        assert_eq!(
            outcome,
            TradeOutcome::Rejected {
                retcode: 10013,
                message: why.to_string()
            }
        );
    }
    engine
        .raw(br#"{"type":"trade","id":"six","request":{"op":"cancel"}}"#)
        .await;
    engine.raw(b"\n").await;
    assert!(matches!(engine.next().await, FromEa::Error { .. }));
    // The position is as it was: neither closed nor stripped of anything.
    engine.trade(7, buy("open")).await;
    assert_eq!(done_ticket(&engine.result(7).await), ticket);
    assert_eq!(engine.query(8, "m").await, (CidState::Absent, None));
    assert_eq!(ins(&rig.trade_log(), "p"), 0);
    assert_eq!(rig.trade_log().len(), 1, "{:?}", rig.trade_log());
    rig.kill();
}

/// Fault 7: while Algo Trading is off, every `account` says so and a trade is refused 10027
/// without being executed.
#[tokio::test]
async fn with_algo_trading_off_accounts_say_so_and_trades_are_refused() {
    cannot_trade("algo-off:0:600000", (false, true), 10027).await;
}

/// Fault 7: while the terminal has no trade server, every `account` says so and a trade is
/// refused 10031 without being executed.
#[tokio::test]
async fn with_the_trade_server_lost_accounts_say_so_and_trades_are_refused() {
    cannot_trade("offline:0:600000", (true, false), 10031).await;
}

/// Under `fault`, the first `account` says `(trade_allowed, connected)` and a trade is refused
/// with `retcode`, never executed.
async fn cannot_trade(fault: &str, says: (bool, bool), retcode: u32) {
    let rig = Rig::start(&[fault]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        assert!(Instant::now() < deadline, "no account in {PATIENCE:?}");
        if let FromEa::Account {
            trade_allowed,
            connected,
            ..
        } = engine.any().await
        {
            assert_eq!((trade_allowed, connected), says, "{fault}");
            break;
        }
    }
    engine.trade(1, buy("refused")).await;
    let outcome = engine.result(1).await;
    assert!(
        matches!(outcome, TradeOutcome::Rejected { retcode: r, .. } if r == retcode),
        "{fault}: {outcome:?}"
    );
    assert_eq!(ins(&rig.trade_log(), "refused"), 0);
    rig.kill();
}
