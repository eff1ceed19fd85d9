//+------------------------------------------------------------------+
//|                                               SignalOSBridge.mq5 |
//|  Connects this terminal to SignalOS: executes its trades and     |
//|  reports the account, positions, orders and quotes back.         |
//|  The wire format is docs/bridge-protocol.md (protocol 2) in the  |
//|  SignalOS repository; this file implements the EA side of it.    |
//+------------------------------------------------------------------+
#property copyright   "SignalOS"
#property version     "2.00"
#property description "Executes SignalOS trades in this terminal and reports the account back."
#property description "Setup: Tools > Options > Expert Advisors > tick 'Allow WebRequest for listed URL'"
#property description "and add 127.0.0.1 (or whatever you put in Host). Turn Algo Trading on."
#property description "Secret must equal SignalOS's [broker] secret (SIGNALOS_BROKER_SECRET); it never leaves this terminal."

// The comment after each input is the name the terminal shows in the EA's Inputs tab.
input string InpHost           = "127.0.0.1"; // Host (also list it in Tools > Options > Expert Advisors)
input uint   InpPort           = 7710;        // Port (SignalOS [broker] listen)
input string InpSecret         = "";          // Secret (SignalOS [broker] secret)
input uint   InpTickThrottleMs = 100;         // Ticks: at most one per symbol every ... ms (100 or more)
input uint   InpDeviation      = 20;          // Slippage for instant/request execution, points

#define EA_NAME              "SignalOSBridge"
#define EA_VERSION           "2.0"
#define PROTOCOL_VERSION     2
#define MAX_LINE_BYTES       1048576   // a longer line is discarded up to its newline
#define TIMER_MS             50        // sockets cannot wake the EA: the timer polls them
#define CONNECT_TIMEOUT_MS   1000
#define SEND_TIMEOUT_MS      3000
#define READ_WAIT_MS         10        // SocketRead's own wait; it only reads what SocketIsReadable announced
#define READ_CHUNK           65536
#define READS_PER_TIMER      64        // bounds the time one timer event spends reading
#define DEFAULT_HEARTBEAT_MS 2000      // ping after this much of our silence
#define DEAD_AFTER_BEATS     3         // no line for 3 heartbeats (6 s): the link is dead
#define MAX_BACKOFF_S        15
#define MEMORY_SIZE          1024      // answered cids remembered for exactly-once
#define HISTORY_DAYS         7         // how far back a cid is looked for in the history
#define QUOTE_WAIT_MS        2000      // how long specs wait for newly selected symbols to quote
#define MIN_TICK_THROTTLE_MS 100
#define ACCOUNT_CHECK_MS     250
#define JSON_MAX_DEPTH       32
#define PREVIEW_CHARS        80
#define MAX_CID_CHARS        31        // docs/bridge-protocol.md: a cid is at most 31 ASCII characters
#define HANDSHAKE_TIMEOUT_MS 5000      // hello to welcome, as the engine allows
#define HMAC_BLOCK_BYTES     64        // SHA-256's block size (RFC 2104's B)
#define SHA256_BYTES         32
#define NONCE_BYTES          16        // a nonce is 16 bytes, written as 32 lower-case hex digits
#define POSITION_CACHE_SIZE  4096      // position identifier -> last ticket reported
#define VOLUME_EPSILON       0.00000001

//+------------------------------------------------------------------+
//| JSON                                                             |
//+------------------------------------------------------------------+
enum JsonKind
  {
   JV_NULL,
   JV_BOOL,
   JV_NUMBER,
   JV_STRING,
   JV_ARRAY,
   JV_OBJECT
  };

//--- One parsed JSON value. Arrays and objects own their members. No engine message carries
//--- a boolean the EA reads, so true and false are kept as their kind only.
class JsonValue
  {
private:
   JsonKind          m_kind;
   bool              m_integral;   // a number written without fraction or exponent
   double            m_number;
   string            m_text;       // a string's value, or a number as written
   string            m_keys[];     // member names of an object, parallel to m_items
   JsonValue        *m_items[];    // elements of an array, values of an object

public:
                     JsonValue(const JsonKind kind) : m_kind(kind), m_integral(false), m_number(0.0), m_text("") {}
                    ~JsonValue(void);
   JsonKind          Kind(void) const { return m_kind; }
   bool              IsIntegral(void) const { return m_integral; }
   double            Number(void) const { return m_number; }
   string            Text(void) const { return m_text; }
   int               Count(void) const { return ArraySize(m_items); }
   JsonValue        *At(const int index) { return m_items[index]; }
   JsonValue        *Member(const string key);
   void              SetText(const string text) { m_text = text; }
   void              SetNumber(const double number, const string written, const bool integral);
   void              Append(const string key, JsonValue *item);
  };

JsonValue::~JsonValue(void)
  {
   for(int i = ArraySize(m_items) - 1; i >= 0; i--)
      if(CheckPointer(m_items[i]) == POINTER_DYNAMIC)
         delete m_items[i];
  }

JsonValue *JsonValue::Member(const string key)
  {
   for(int i = 0; i < ArraySize(m_keys); i++)
      if(m_keys[i] == key)
         return m_items[i];
   return NULL;
  }

void JsonValue::SetNumber(const double number, const string written, const bool integral)
  {
   m_number = number;
   m_text = written;
   m_integral = integral;
  }

void JsonValue::Append(const string key, JsonValue *item)
  {
   int n = ArraySize(m_items);
   ArrayResize(m_items, n + 1, n); // the reserve doubles the room: long arrays stay linear
   ArrayResize(m_keys, n + 1, n);
   m_items[n] = item;
   m_keys[n] = key;
  }

//--- A strict RFC 8259 reader. On failure it returns NULL and says why in Error().
class JsonParser
  {
private:
   string            m_text;
   int               m_length;
   int               m_pos;
   string            m_error;

   ushort            Peek(void) const { return m_pos < m_length ? StringGetCharacter(m_text, m_pos) : (ushort)0; }
   string            Slice(const int from, const int to) const { return to > from ? StringSubstr(m_text, from, to - from) : ""; }
   bool              Fail(const string why);
   void              SkipSpace(void);
   bool              ReadDigits(void);
   JsonValue        *ParseValue(const int depth);
   JsonValue        *ParseObject(const int depth);
   JsonValue        *ParseArray(const int depth);
   JsonValue        *ParseNumber(void);
   JsonValue        *ParseLiteral(const string word, const JsonKind kind);
   bool              ParseString(string &out);
   bool              ParseEscape(string &out);
   bool              ParseUnicode(string &out);

public:
   JsonValue        *Parse(const string text);
   string            Error(void) const { return m_error; }
  };

JsonValue *JsonParser::Parse(const string text)
  {
   m_text = text;
   m_length = StringLen(text);
   m_pos = 0;
   m_error = "";
   JsonValue *root = ParseValue(0);
   if(root == NULL)
      return NULL;
   SkipSpace();
   if(m_pos < m_length)
     {
      delete root;
      Fail("unexpected data after the value");
      return NULL;
     }
   return root;
  }

bool JsonParser::Fail(const string why)
  {
   if(m_error == "")
      m_error = StringFormat("%s at character %d", why, m_pos);
   return false;
  }

void JsonParser::SkipSpace(void)
  {
   while(m_pos < m_length)
     {
      ushort c = StringGetCharacter(m_text, m_pos);
      if(c != ' ' && c != '\t' && c != '\n' && c != '\r')
         return;
      m_pos++;
     }
  }

bool JsonParser::ReadDigits(void)
  {
   int start = m_pos;
   while(Peek() >= '0' && Peek() <= '9')
      m_pos++;
   return m_pos > start;
  }

JsonValue *JsonParser::ParseValue(const int depth)
  {
   if(depth > JSON_MAX_DEPTH)
     {
      Fail("nested too deeply");
      return NULL;
     }
   SkipSpace();
   ushort c = Peek();
   if(c == '{')
      return ParseObject(depth);
   if(c == '[')
      return ParseArray(depth);
   if(c == '"')
     {
      string text;
      if(!ParseString(text))
         return NULL;
      JsonValue *value = new JsonValue(JV_STRING);
      value.SetText(text);
      return value;
     }
   if(c == 't')
      return ParseLiteral("true", JV_BOOL);
   if(c == 'f')
      return ParseLiteral("false", JV_BOOL);
   if(c == 'n')
      return ParseLiteral("null", JV_NULL);
   if(c == '-' || (c >= '0' && c <= '9'))
      return ParseNumber();
   Fail(m_pos < m_length ? "unexpected character" : "unexpected end");
   return NULL;
  }

JsonValue *JsonParser::ParseObject(const int depth)
  {
   m_pos++; // '{'
   JsonValue *node = new JsonValue(JV_OBJECT);
   SkipSpace();
   if(Peek() == '}')
     {
      m_pos++;
      return node;
     }
   while(true)
     {
      SkipSpace();
      string key;
      if(Peek() != '"')
        {
         Fail("expected a member name");
         delete node;
         return NULL;
        }
      if(!ParseString(key))
        {
         delete node;
         return NULL;
        }
      SkipSpace();
      if(Peek() != ':')
        {
         Fail("expected ':'");
         delete node;
         return NULL;
        }
      m_pos++;
      JsonValue *item = ParseValue(depth + 1);
      if(item == NULL)
        {
         delete node;
         return NULL;
        }
      node.Append(key, item);
      SkipSpace();
      ushort c = Peek();
      m_pos++;
      if(c == '}')
         return node;
      if(c != ',')
        {
         Fail("expected ',' or '}'");
         delete node;
         return NULL;
        }
     }
   return NULL;
  }

JsonValue *JsonParser::ParseArray(const int depth)
  {
   m_pos++; // '['
   JsonValue *node = new JsonValue(JV_ARRAY);
   SkipSpace();
   if(Peek() == ']')
     {
      m_pos++;
      return node;
     }
   while(true)
     {
      JsonValue *item = ParseValue(depth + 1);
      if(item == NULL)
        {
         delete node;
         return NULL;
        }
      node.Append("", item);
      SkipSpace();
      ushort c = Peek();
      m_pos++;
      if(c == ']')
         return node;
      if(c != ',')
        {
         Fail("expected ',' or ']'");
         delete node;
         return NULL;
        }
     }
   return NULL;
  }

JsonValue *JsonParser::ParseNumber(void)
  {
   int start = m_pos;
   bool integral = true;
   if(Peek() == '-')
      m_pos++;
   if(Peek() == '0')
      m_pos++;
   else
      if(!ReadDigits())
        {
         Fail("invalid number");
         return NULL;
        }
   if(Peek() == '.')
     {
      integral = false;
      m_pos++;
      if(!ReadDigits())
        {
         Fail("invalid number");
         return NULL;
        }
     }
   if(Peek() == 'e' || Peek() == 'E')
     {
      integral = false;
      m_pos++;
      if(Peek() == '+' || Peek() == '-')
         m_pos++;
      if(!ReadDigits())
        {
         Fail("invalid number");
         return NULL;
        }
     }
   string written = Slice(start, m_pos);
   JsonValue *value = new JsonValue(JV_NUMBER);
   value.SetNumber(StringToDouble(written), written, integral);
   return value;
  }

JsonValue *JsonParser::ParseLiteral(const string word, const JsonKind kind)
  {
   int length = StringLen(word);
   if(StringSubstr(m_text, m_pos, length) != word)
     {
      Fail("unexpected word");
      return NULL;
     }
   m_pos += length;
   return new JsonValue(kind);
  }

//--- Copies runs of plain characters in one piece: lines may be up to 1 MiB long.
bool JsonParser::ParseString(string &out)
  {
   m_pos++; // opening quote
   out = "";
   int run = m_pos;
   while(m_pos < m_length)
     {
      ushort c = StringGetCharacter(m_text, m_pos);
      if(c == '"')
        {
         out += Slice(run, m_pos);
         m_pos++;
         return true;
        }
      if(c < 0x20)
         return Fail("control character in a string");
      if(c == '\\')
        {
         out += Slice(run, m_pos);
         m_pos++;
         if(!ParseEscape(out))
            return false;
         run = m_pos;
         continue;
        }
      m_pos++;
     }
   return Fail("unterminated string");
  }

bool JsonParser::ParseEscape(string &out)
  {
   if(m_pos >= m_length)
      return Fail("unterminated escape");
   ushort c = StringGetCharacter(m_text, m_pos);
   m_pos++;
   switch(c)
     {
      case '"':
         out += "\"";
         return true;
      case '\\':
         out += "\\";
         return true;
      case '/':
         out += "/";
         return true;
      case 'b':
         out += ShortToString(8);
         return true;
      case 'f':
         out += ShortToString(12);
         return true;
      case 'n':
         out += "\n";
         return true;
      case 'r':
         out += "\r";
         return true;
      case 't':
         out += "\t";
         return true;
      case 'u':
         return ParseUnicode(out);
     }
   return Fail("invalid escape");
  }

//--- MQL5 strings are UTF-16 like \u escapes: a surrogate pair arrives as two escapes
//--- and is kept as the same two code units.
bool JsonParser::ParseUnicode(string &out)
  {
   if(m_pos + 4 > m_length)
      return Fail("short \\u escape");
   int code = 0;
   for(int i = 0; i < 4; i++)
     {
      int digit = HexDigit(StringGetCharacter(m_text, m_pos + i));
      if(digit < 0)
         return Fail("invalid \\u escape");
      code = code * 16 + digit;
     }
   m_pos += 4;
   out += ShortToString((ushort)code);
   return true;
  }

int HexDigit(const ushort c)
  {
   if(c >= '0' && c <= '9')
      return c - '0';
   if(c >= 'a' && c <= 'f')
      return c - 'a' + 10;
   if(c >= 'A' && c <= 'F')
      return c - 'A' + 10;
   return -1;
  }

//--- Typed reads of object members. Each is false when the member is missing or of
//--- another type, which makes the message invalid.
bool ReadString(JsonValue *object, const string key, string &out)
  {
   JsonValue *value = object.Member(key);
   if(value == NULL || value.Kind() != JV_STRING)
      return false;
   out = value.Text();
   return true;
  }

bool ReadNumber(JsonValue *object, const string key, double &out)
  {
   JsonValue *value = object.Member(key);
   if(value == NULL || value.Kind() != JV_NUMBER)
      return false;
   out = value.Number();
   return true;
  }

//--- Ids, tickets and magic numbers: whole, non-negative numbers, read from their digits
//--- so that no precision is lost through a double.
bool ReadUnsigned(JsonValue *object, const string key, ulong &out)
  {
   JsonValue *value = object.Member(key);
   if(value == NULL || value.Kind() != JV_NUMBER || !value.IsIntegral() || value.Number() < 0)
      return false;
   out = (ulong)StringToInteger(value.Text());
   return true;
  }

//--- A required price, level or volume that may be an explicit null: 0 then, as MT5 writes
//--- "not set", and isNull says so. A missing member is false like one of another kind: only
//--- an explicit null means "none" (docs/bridge-protocol.md, Transport).
bool ReadNumberOrNull(JsonValue *object, const string key, double &out, bool &isNull)
  {
   out = 0.0;
   isNull = false;
   JsonValue *value = object.Member(key);
   if(value == NULL)
      return false;
   if(value.Kind() == JV_NULL)
     {
      isNull = true;
      return true;
     }
   if(value.Kind() != JV_NUMBER)
      return false;
   out = value.Number();
   return true;
  }

//--- Why a required member could not be read, in the words of a 10013 result: the field's
//--- name and what was expected, e.g. "modify: field sl is missing (a price, or null to
//--- remove the stop)".
string FieldProblem(JsonValue *object, const string op, const string key, const string expected)
  {
   if(object.Member(key) == NULL)
      return StringFormat("%s: field %s is missing (%s)", op, key, expected);
   return StringFormat("%s: field %s must be %s", op, key, expected);
  }

//--- Writing.
string JsonQuote(const string text)
  {
   string out = "\"";
   int length = StringLen(text);
   int run = 0;
   for(int i = 0; i < length; i++)
     {
      string escaped = JsonEscape(StringGetCharacter(text, i));
      if(escaped == "")
         continue;
      if(i > run)
         out += StringSubstr(text, run, i - run);
      out += escaped;
      run = i + 1;
     }
   if(length > run)
      out += StringSubstr(text, run, length - run);
   return out + "\"";
  }

//--- The escape for a character that cannot appear raw in a JSON string, or "".
string JsonEscape(const ushort c)
  {
   if(c == '"')
      return "\\\"";
   if(c == '\\')
      return "\\\\";
   if(c == '\n')
      return "\\n";
   if(c == '\r')
      return "\\r";
   if(c == '\t')
      return "\\t";
   if(c < 0x20)
      return StringFormat("\\u%04x", (int)c);
   return "";
  }

//--- A number with at most `digits` decimals and no trailing zeros. JSON has no NaN or
//--- infinity; 0 keeps a required field readable.
string JsonNumber(const double value, const int digits)
  {
   if(!MathIsValidNumber(value))
      return "0";
   string text = DoubleToString(value, digits);
   if(StringFind(text, ".") < 0)
      return text == "-0" ? "0" : text;
   int end = StringLen(text);
   while(end > 0 && StringGetCharacter(text, end - 1) == '0')
      end--;
   if(end > 0 && StringGetCharacter(text, end - 1) == '.')
      end--;
   text = StringSubstr(text, 0, end);
   return text == "-0" ? "0" : text;
  }

//--- Builds one JSON object member by member.
class JsonObject
  {
private:
   string            m_body;

public:
                     JsonObject(void) : m_body("") {}
   void              AddRaw(const string key, const string json);
   void              AddString(const string key, const string value) { AddRaw(key, JsonQuote(value)); }
   void              AddLong(const string key, const long value)     { AddRaw(key, IntegerToString(value)); }
   void              AddUlong(const string key, const ulong value)   { AddRaw(key, StringFormat("%I64u", value)); }
   void              AddBool(const string key, const bool value)     { AddRaw(key, value ? "true" : "false"); }
   string            Json(void) const { return "{" + m_body + "}"; }
  };

void JsonObject::AddRaw(const string key, const string json)
  {
   if(m_body != "")
      m_body += ",";
   m_body += JsonQuote(key) + ":" + json;
  }

//--- Builds one JSON array element by element.
class JsonList
  {
private:
   string            m_body;
   int               m_count;

public:
                     JsonList(void) : m_body(""), m_count(0) {}
   void              Add(const string json);
   int               Count(void) const { return m_count; }
   string            Json(void) const { return "[" + m_body + "]"; }
  };

void JsonList::Add(const string json)
  {
   if(m_count > 0)
      m_body += ",";
   m_body += json;
   m_count++;
  }

//+------------------------------------------------------------------+
//| State                                                            |
//+------------------------------------------------------------------+
//--- The answer to one trade request.
struct Outcome
  {
   bool              done;
   ulong             ticket;
   string            price;    // a JSON number, or null
   string            volume;   // a JSON number, or null
   uint              retcode;
   string            message;
  };

//--- Where a client order id was found (the answer to a query).
struct Location
  {
   string            state;    // position, order, deal, cancelled or absent
   ulong             ticket;
   string            price;    // a JSON number, or null
   string            volume;   // a JSON number, or null
  };

//--- One remembered answer, for exactly-once execution.
struct Remembered
  {
   string            cid;
   string            op;       // place, modify, close or cancel
   string            outcome;  // the outcome object exactly as it was sent
   bool              done;
   ulong             ticket;
   string            price;
   string            volume;
  };

//--- What a position's deals add up to, split at netting reversals (DEAL_ENTRY_INOUT): an in/out
//--- deal closes the volume the old ticket held and opens the rest under a new ticket.
struct PositionBooks
  {
   int               reversals;       // in/out deals so far
   double            ended;           // realised net of the ticket the last reversal ended
   double            realised;        // since then: the closing deals' net and the opening deals' charges
   double            opening;         // since then: DEAL_COMMISSION and DEAL_FEE of the opening deals
   int               closings;        // since then: closing deals
   double            reversalPrice;   // the last reversal's deal price...
   long              reversalTimeMsc; // ...and its time, in trade server time
  };

//--- The handshake (docs/bridge-protocol.md, Authentication), one state per connection.
enum HandshakeStage
  {
   HS_AWAIT_CHALLENGE,   // hello sent with our nonce: nothing else goes out until the engine proves itself
   HS_AWAIT_WELCOME,     // the engine's proof checked, ours sent: welcome or refused comes next
   HS_WELCOMED           // trades and queries are served
  };

int        g_socket = INVALID_HANDLE;
HandshakeStage g_stage = HS_AWAIT_CHALLENGE;
bool       g_welcomed = false;        // handshake done: trades and queries are served
string     g_eaNonce = "";            // this connection's nonce, sent in hello
ulong      g_connectedMs = 0;         // when the connection was made: the handshake has 5 s
uchar      g_secretKey[];             // the Secret input's UTF-8 bytes: the HMAC key, never sent nor logged
ulong      g_nonceCounter = 0;        // one of the inputs that keeps every nonce different
bool       g_synced = false;          // a snapshot went out: changes stream from now on
ulong      g_magic = 0;
ulong      g_heartbeatMs = DEFAULT_HEARTBEAT_MS;
ulong      g_lastSentMs = 0;
ulong      g_lastHeardMs = 0;
int        g_failures = 0;            // connection attempts failed since the last welcome
ulong      g_nextAttemptMs = 0;
string     g_lastProblem = "";        // a failure repeated every few seconds is logged once

uchar      g_line[];                  // bytes of the line being received
bool       g_discarding = false;      // inside a line over the limit
long       g_discardedBytes = 0;

string     g_symbols[];               // subscribed symbols
long       g_tickTimeMsc[];           // per symbol: time of the last tick sent
ulong      g_tickSentMs[];            // per symbol: when it was sent
ulong      g_tickThrottleMs = MIN_TICK_THROTTLE_MS;
bool       g_specsDue = false;        // a subscribe waits for quotes before specs and snapshot
ulong      g_specsDeadlineMs = 0;

double     g_sentBalance = 0.0;
double     g_sentEquity = 0.0;
double     g_sentMargin = 0.0;
bool       g_sentTradeAllowed = false;
bool       g_sentConnected = false;
ulong      g_accountCheckedMs = 0;

Remembered g_memory[MEMORY_SIZE];     // a ring: the oldest answer makes room for the newest
int        g_memoryNext = 0;

long       g_cachedIds[POSITION_CACHE_SIZE];     // a ring of POSITION_IDENTIFIERs reported...
ulong      g_cachedTickets[POSITION_CACHE_SIZE]; // ...and the POSITION_TICKET each had: a closed position is named by it
int        g_cachedReversals[POSITION_CACHE_SIZE]; // the reversals its books held then (-1: unknown)
double     g_cachedNet[POSITION_CACHE_SIZE];     // realised net of this era already reported for an earlier ticket
double     g_cachedOpening[POSITION_CACHE_SIZE]; // ...and the opening charges among it
int        g_cacheNext = 0;

//+------------------------------------------------------------------+
//| Terminal events                                                  |
//+------------------------------------------------------------------+
int OnInit(void)
  {
   if(MQLInfoInteger(MQL_TESTER) != 0)
     {
      LogLine("the bridge needs a live terminal: it does not run in the Strategy Tester");
      return INIT_FAILED;
     }
   if(!HmacSelfTest())
     {
      LogLine("HMAC-SHA256 self-test failed: this terminal's SHA-256 (CryptEncode) does not give RFC 4231's results; the EA cannot authenticate and does not start");
      return INIT_FAILED;
     }
   if(InpSecret == "")
      LogLine("the Secret input is empty: SignalOS will refuse the connection until it matches [broker] secret");
   Utf8Bytes(InpSecret, g_secretKey);
   MathSrand((int)(GetMicrosecondCount() ^ (ulong)TimeLocal() ^ (ulong)ChartID()));
   g_tickThrottleMs = InpTickThrottleMs < (uint)MIN_TICK_THROTTLE_MS ? (ulong)MIN_TICK_THROTTLE_MS : (ulong)InpTickThrottleMs;
   // Globals survive a change of the chart's symbol or timeframe (OnDeinit, then OnInit):
   // start the link afresh, but keep the memory of answered cids.
   ResetLink();
   g_failures = 0;
   g_nextAttemptMs = 0;
   g_lastProblem = "";
   if(!EventSetMillisecondTimer(TIMER_MS))
     {
      LogLine(StringFormat("cannot start the timer (error %d)", GetLastError()));
      return INIT_FAILED;
     }
   LogLine(StringFormat("started; connecting to SignalOS at %s:%u", InpHost, InpPort));
   return INIT_SUCCEEDED;
  }

void OnDeinit(const int reason)
  {
   EventKillTimer();
   if(g_socket != INVALID_HANDLE)
      SocketClose(g_socket);
   g_socket = INVALID_HANDLE;
  }

//--- Sockets only connect out and raise no events: everything runs from the timer.
void OnTimer(void)
  {
   if(g_socket == INVALID_HANDLE)
     {
      if(GetTickCount64() >= g_nextAttemptMs)
         Connect();
      return;
     }
   ReadIncoming();
   if(g_welcomed)
      FinishSubscription();
   if(g_synced)
     {
      StreamTicks();
      StreamAccount();
     }
   KeepAlive();
  }

//--- A tick of the chart's symbol goes out without waiting for the timer.
void OnTick(void)
  {
   if(g_synced)
      StreamTicks();
  }

void OnTradeTransaction(const MqlTradeTransaction &trans,
                        const MqlTradeRequest &request,
                        const MqlTradeResult &result)
  {
   if(!g_synced)
      return; // the next snapshot carries whatever happens before it
   switch(trans.type)
     {
      case TRADE_TRANSACTION_DEAL_ADD:
         ReportDeal(trans.deal);
         break;
      case TRADE_TRANSACTION_POSITION:
         ReportPosition(trans.position);
         break;
      case TRADE_TRANSACTION_ORDER_ADD:
      case TRADE_TRANSACTION_ORDER_UPDATE:
         if(IsPendingType(trans.order_type))
            ReportOrder(trans.order);
         break;
      case TRADE_TRANSACTION_HISTORY_ADD:
         if(IsPendingType(trans.order_type))
            ReportOrderRemoved(trans.order, trans.order_state);
         break;
      default:
         break;
     }
  }

//+------------------------------------------------------------------+
//| Connection                                                       |
//+------------------------------------------------------------------+
void Connect(void)
  {
   int socket = SocketCreate();
   if(socket == INVALID_HANDLE)
     {
      ConnectionFailed(StringFormat("cannot create a socket (error %d)", GetLastError()));
      return;
     }
   if(!SocketConnect(socket, InpHost, InpPort, CONNECT_TIMEOUT_MS))
     {
      int error = GetLastError();
      SocketClose(socket);
      ConnectionFailed(ConnectProblem(error));
      return;
     }
   // a stalled peer must not freeze the terminal on a send. No system receive timeout
   // (0): reads only take what SocketIsReadable announced, with SocketRead's own wait.
   SocketTimeouts(socket, SEND_TIMEOUT_MS, 0);
   g_socket = socket;
   g_lastProblem = "";
   g_connectedMs = GetTickCount64();
   g_lastHeardMs = g_connectedMs;
   g_stage = HS_AWAIT_CHALLENGE;
   g_eaNonce = NewNonce();
   LogLine(StringFormat("connected to %s:%u, saying hello", InpHost, InpPort));
   SendHello();
  }

//--- The message that tells the user the listener is not SignalOS, or has another secret.
string NotProvenProblem(void)
  {
   return StringFormat("the listener at %s:%u could not prove it knows the secret: not SignalOS, or another secret",
                       InpHost, InpPort);
  }

string ConnectProblem(const int error)
  {
   if(error == 4014) // ERR_FUNCTION_NOT_ALLOWED: the address is not in the terminal's list
      return StringFormat("connecting to %s is not allowed: add %s in Tools > Options > Expert Advisors > Allow WebRequest for listed URL (error 4014)",
                          InpHost, InpHost);
   // the reference names no error for an unlisted address: both causes are named here
   return StringFormat("cannot connect to %s:%u (error %d): is SignalOS running and listening there, and is %s listed in Tools > Options > Expert Advisors?",
                       InpHost, InpPort, error, InpHost);
  }

void ConnectionFailed(const string problem)
  {
   if(problem != g_lastProblem)
      LogLine(problem + " - retrying");
   g_lastProblem = problem;
   ScheduleReconnect();
  }

void ScheduleReconnect(void)
  {
   g_nextAttemptMs = GetTickCount64() + (ulong)BackoffSeconds(g_failures) * 1000;
   g_failures++;
  }

//--- 1, 2, 4, 8, 15, 15... seconds after the first, second, third... failure in a row.
int BackoffSeconds(const int failures)
  {
   if(failures >= 4)
      return MAX_BACKOFF_S;
   return 1 << failures;
  }

void Disconnect(const string why)
  {
   if(g_socket != INVALID_HANDLE)
      SocketClose(g_socket);
   LogLine("link down: " + why);
   ResetLink();
   ScheduleReconnect();
  }

//--- A new connection starts again from hello: nothing of the old one carries over.
void ResetLink(void)
  {
   g_socket = INVALID_HANDLE;
   g_stage = HS_AWAIT_CHALLENGE;
   g_welcomed = false;
   g_eaNonce = "";
   g_synced = false;
   g_specsDue = false;
   g_discarding = false;
   g_discardedBytes = 0;
   g_heartbeatMs = DEFAULT_HEARTBEAT_MS;
   ArrayFree(g_line);
   ArrayFree(g_symbols);
   ArrayFree(g_tickTimeMsc);
   ArrayFree(g_tickSentMs);
  }

//--- Ping after a heartbeat of our silence; a link that stayed silent for three is dead.
void KeepAlive(void)
  {
   if(g_socket == INVALID_HANDLE)
      return;
   ulong now = GetTickCount64();
   if(g_stage != HS_WELCOMED && now - g_connectedMs >= HANDSHAKE_TIMEOUT_MS)
     {
      if(g_stage == HS_AWAIT_CHALLENGE)
         Disconnect(NotProvenProblem() + StringFormat(" (no challenge within %d ms)", HANDSHAKE_TIMEOUT_MS));
      else
         Disconnect(StringFormat("SignalOS neither welcomed nor refused this EA within %d ms of connecting", HANDSHAKE_TIMEOUT_MS));
      return;
     }
   if(now - g_lastHeardMs >= g_heartbeatMs * DEAD_AFTER_BEATS)
     {
      Disconnect(StringFormat("nothing heard from SignalOS for %I64u ms", now - g_lastHeardMs));
      return;
     }
   // nothing but hello goes out before the engine has proved it knows the secret
   if(g_stage != HS_AWAIT_CHALLENGE && now - g_lastSentMs >= g_heartbeatMs)
     {
      JsonObject ping;
      ping.AddString("type", "ping");
      ping.AddLong("time", UtcNowMs());
      SendLine(ping.Json());
     }
  }

//+------------------------------------------------------------------+
//| Framing                                                          |
//+------------------------------------------------------------------+
bool SendLine(const string json)
  {
   if(g_socket == INVALID_HANDLE)
      return false;
   uchar bytes[];
   int length = StringToCharArray(json + "\n", bytes, 0, WHOLE_ARRAY, CP_UTF8) - 1; // without the terminating zero
   if(length - 1 > MAX_LINE_BYTES)
     {
      // SignalOS would discard it anyway (the limit holds both ways): say so here, where it can be seen
      LogLine(StringFormat("not sent: a line of %d bytes is over the protocol's limit of %d: %s",
                           length - 1, MAX_LINE_BYTES, Preview(json)));
      return false;
     }
   int offset = 0;
   while(offset < length)
     {
      uchar rest[];
      ArrayCopy(rest, bytes, 0, offset, length - offset);
      int written = SocketSend(g_socket, rest, (uint)(length - offset));
      if(written <= 0)
        {
         Disconnect(StringFormat("sending failed (error %d)", GetLastError()));
         return false;
        }
      offset += written;
     }
   g_lastSentMs = GetTickCount64();
   return true;
  }

//--- What is readable is read first, and only a socket with nothing left to read is asked
//--- whether the peer closed it: a refusal's last line arrives just before the close, and its
//--- reason must reach the user.
void ReadIncoming(void)
  {
   for(int reads = 0; reads < READS_PER_TIMER && g_socket != INVALID_HANDLE; reads++)
     {
      uint available = SocketIsReadable(g_socket);
      if(available == 0)
        {
         if(!SocketIsConnected(g_socket))
            Disconnect(g_stage == HS_AWAIT_CHALLENGE ? NotProvenProblem() + " (it closed the connection)"
                                                     : "SignalOS closed the connection");
         return;
        }
      uint wanted = available < (uint)READ_CHUNK ? available : (uint)READ_CHUNK;
      uchar chunk[];
      int got = SocketRead(g_socket, chunk, wanted, READ_WAIT_MS);
      if(got <= 0)
        {
         // -1 also means "nothing within the wait": only a closed socket is a failure
         if(!SocketIsConnected(g_socket))
            Disconnect(StringFormat("reading failed (error %d)", GetLastError()));
         return;
        }
      TakeBytes(chunk, got);
     }
  }

//--- Cuts received bytes into lines. A line is decoded from UTF-8 only when complete, so a
//--- character split between two reads arrives whole.
void TakeBytes(const uchar &chunk[], const int count)
  {
   int start = 0;
   while(start < count && g_socket != INVALID_HANDLE)
     {
      int newline = start;
      while(newline < count && chunk[newline] != '\n')
         newline++;
      KeepPart(chunk, start, newline - start);
      if(newline == count)
         return;
      EndOfLine();
      start = newline + 1;
     }
  }

void KeepPart(const uchar &chunk[], const int from, const int count)
  {
   if(count == 0)
      return;
   if(g_discarding)
     {
      g_discardedBytes += count;
      return;
     }
   int kept = ArraySize(g_line);
   if(kept + count > MAX_LINE_BYTES)
     {
      g_discarding = true; // drop the line up to its newline, then say why
      g_discardedBytes = kept + count;
      ArrayFree(g_line);
      return;
     }
   ArrayResize(g_line, kept + count, READ_CHUNK);
   ArrayCopy(g_line, chunk, kept, from, count);
  }

void EndOfLine(void)
  {
   g_lastHeardMs = GetTickCount64();
   if(g_discarding)
     {
      SendError(StringFormat("line %I64d bytes long, the limit is %d", g_discardedBytes, MAX_LINE_BYTES));
      g_discarding = false;
      g_discardedBytes = 0;
      return;
     }
   int length = ArraySize(g_line);
   if(length > 0 && g_line[length - 1] == '\r')
      length--;
   string line = length > 0 ? CharArrayToString(g_line, 0, length, CP_UTF8) : "";
   ArrayFree(g_line);
   HandleLine(line);
  }

//+------------------------------------------------------------------+
//| Messages from SignalOS                                           |
//+------------------------------------------------------------------+
void HandleLine(const string line)
  {
   string trimmed = line;
   StringTrimLeft(trimmed);
   StringTrimRight(trimmed);
   if(trimmed == "")
      return;
   // a line may hold a proof: it is described by its length, never quoted
   JsonParser parser;
   JsonValue *message = parser.Parse(line);
   if(message == NULL)
     {
      SendError(StringFormat("a line of %d characters is not JSON (%s)", StringLen(line), parser.Error()));
      return;
     }
   string type;
   if(message.Kind() != JV_OBJECT || !ReadString(message, "type", type))
      SendError(StringFormat("a line of %d characters is not a message (no \"type\")", StringLen(line)));
   else
      Dispatch(type, message);
   delete message;
  }

void Dispatch(const string type, JsonValue *message)
  {
   if(type == "ping")
      return; // hearing it is the point; our own pings go out when we are silent
   if(type == "error")
     {
      string reason = "";
      ReadString(message, "reason", reason);
      LogLine((g_stage == HS_AWAIT_CHALLENGE ? "the listener (not yet proven to be SignalOS) reports an error: "
                                             : "SignalOS reports an error: ") + reason);
      return;
     }
   if(type == "refused")
     {
      HandleRefused(message);
      return;
     }
   if(g_stage == HS_AWAIT_CHALLENGE)
     {
      // the engine proves itself first: anything else from it is a listener that cannot
      if(type == "challenge")
         HandleChallenge(message);
      else
         Disconnect(NotProvenProblem() + " (it sent \"" + Preview(type) + "\" instead of a challenge)");
      return;
     }
   if(type == "challenge")
     {
      SendError("challenge after the handshake's challenge");
      return;
     }
   if(type == "welcome")
     {
      HandleWelcome(message);
      return;
     }
   if(type != "subscribe" && type != "trade" && type != "query")
     {
      SendError(StringFormat("unknown message type \"%s\"", type));
      return;
     }
   if(!g_welcomed)
     {
      SendError(type + " before welcome");
      return;
     }
   if(type == "subscribe")
      HandleSubscribe(message);
   else
      if(type == "trade")
         HandleTrade(message);
      else
         HandleQuery(message);
  }

//--- The engine's challenge: its nonce and its proof over ours. The proof is checked before
//--- anything but hello has gone out; only a right one earns ours.
void HandleChallenge(JsonValue *message)
  {
   string engineNonce = "";
   string proof = "";
   if(!ReadString(message, "nonce", engineNonce) || !ReadString(message, "proof", proof)
      || !IsLowerHex(engineNonce, 2 * NONCE_BYTES) || !IsLowerHex(proof, 2 * SHA256_BYTES))
     {
      Disconnect(NotProvenProblem());
      return;
     }
   string expected = "";
   if(!HmacSha256Hex(g_secretKey, "signalos-bridge/2 engine " + g_eaNonce + " " + engineNonce, expected))
     {
      Disconnect("cannot compute HMAC-SHA256 (CryptEncode failed)");
      return;
     }
   if(!ConstantTimeEquals(proof, expected))
     {
      Disconnect(NotProvenProblem());
      return;
     }
   string mine = "";
   if(!HmacSha256Hex(g_secretKey, "signalos-bridge/2 ea " + engineNonce + " " + g_eaNonce, mine))
     {
      Disconnect("cannot compute HMAC-SHA256 (CryptEncode failed)");
      return;
     }
   g_stage = HS_AWAIT_WELCOME;
   JsonObject answer;
   answer.AddString("type", "proof");
   answer.AddString("proof", mine);
   answer.AddRaw("terminal", TerminalJson());
   answer.AddRaw("account", AccountJson());
   if(SendLine(answer.Json()))
      LogLine("SignalOS proved it knows the secret; proving that this EA does too");
   if(!TradeAllowed())
      LogLine("Algo Trading is off (terminal button or this EA's Common tab): orders will fail with 10027");
  }

void HandleWelcome(JsonValue *message)
  {
   if(g_stage != HS_AWAIT_WELCOME)
     {
      SendError("welcome after the handshake");
      return;
     }
   ulong protocol = 0;
   ulong magic = 0;
   ulong heartbeat = 0;
   if(!ReadUnsigned(message, "protocol", protocol) || !ReadUnsigned(message, "magic", magic))
     {
      SendError("welcome needs protocol and magic");
      return;
     }
   if(protocol != PROTOCOL_VERSION)
     {
      Disconnect(StringFormat("SignalOS speaks protocol %I64u, this EA speaks %d: use the EA from the same SignalOS version",
                              protocol, PROTOCOL_VERSION));
      return;
     }
   g_heartbeatMs = (ReadUnsigned(message, "heartbeat_ms", heartbeat) && heartbeat > 0) ? heartbeat : (ulong)DEFAULT_HEARTBEAT_MS;
   g_magic = magic;
   g_stage = HS_WELCOMED;
   g_welcomed = true;
   g_failures = 0;
   LogLine(StringFormat("welcomed by SignalOS (magic %I64u, heartbeat %I64u ms); sending the symbol list", g_magic, g_heartbeatMs));
   SendSymbols();
  }

//--- Before its challenge the listener has not proved it is SignalOS (an old SignalOS refuses
//--- a protocol 2 hello at once): its words are passed on as its own.
void HandleRefused(JsonValue *message)
  {
   string reason = "";
   ReadString(message, "reason", reason);
   string hint = "";
   if(StringFind(reason, "secret") >= 0)
      hint = " - the Secret input must equal SignalOS's [broker] secret";
   else
      if(StringFind(reason, "protocol") >= 0)
         hint = " - install the SignalOSBridge.mq5 that came with this SignalOS";
   if(g_stage == HS_AWAIT_CHALLENGE)
      Disconnect(StringFormat("the listener at %s:%u refused the connection before proving it is SignalOS: ", InpHost, InpPort)
                 + reason + hint);
   else
      Disconnect("SignalOS refused the connection: " + reason + hint);
  }

void HandleSubscribe(JsonValue *message)
  {
   JsonValue *list = message.Member("symbols");
   if(list == NULL || list.Kind() != JV_ARRAY)
     {
      SendError("subscribe needs a \"symbols\" array");
      return;
     }
   string wanted[];
   for(int i = 0; i < list.Count(); i++)
     {
      JsonValue *item = list.At(i);
      if(item.Kind() != JV_STRING)
        {
         SendError("subscribe: every symbol must be a string");
         return;
        }
      AddUnique(wanted, item.Text());
     }
   ArrayFree(g_symbols);
   string missing = "";
   for(int i = 0; i < ArraySize(wanted); i++)
     {
      if(SymbolSelect(wanted[i], true)) // into Market Watch, so that it gets quotes
         AddUnique(g_symbols, wanted[i]);
      else
         missing += (missing == "" ? "" : ", ") + wanted[i];
     }
   int count = ArraySize(g_symbols);
   ArrayResize(g_tickTimeMsc, count);
   ArrayResize(g_tickSentMs, count);
   for(int i = 0; i < count; i++)
     {
      g_tickTimeMsc[i] = 0;
      g_tickSentMs[i] = 0;
     }
   LogLine(StringFormat("SignalOS subscribed to %d symbols", count) + (missing == "" ? "" : "; unknown to this terminal: " + missing));
   g_specsDue = true;
   g_specsDeadlineMs = GetTickCount64() + QUOTE_WAIT_MS;
  }

void AddUnique(string &list[], const string name)
  {
   int count = ArraySize(list);
   for(int i = 0; i < count; i++)
      if(list[i] == name)
         return;
   ArrayResize(list, count + 1);
   list[count] = name;
  }

//--- Tick value and margin need quotes, which a symbol just added to Market Watch gets
//--- within moments: wait for them a little before the specs and the snapshot go out.
void FinishSubscription(void)
  {
   if(!g_specsDue || (!AllQuoted() && GetTickCount64() < g_specsDeadlineMs))
      return;
   g_specsDue = false;
   SendSpecs();
   SendSnapshot();
  }

bool AllQuoted(void)
  {
   MqlTick tick;
   for(int i = 0; i < ArraySize(g_symbols); i++)
      if(!SymbolInfoTick(g_symbols[i], tick) || tick.bid <= 0)
         return false;
   return true;
  }

void HandleQuery(JsonValue *message)
  {
   ulong id = 0;
   string cid;
   if(!ReadUnsigned(message, "id", id) || !ReadString(message, "cid", cid))
     {
      SendError("query needs an id and a cid");
      return;
     }
   Location where;
   if(!FindInMemory(cid, where) && !LocateLive(cid, where))
      SetLocation(where, "absent", 0, "null", "null");
   JsonObject found;
   found.AddString("type", "found");
   found.AddUlong("id", id);
   found.AddString("cid", cid);
   found.AddString("state", where.state);
   if(where.state != "absent")
     {
      found.AddUlong("ticket", where.ticket);
      found.AddRaw("price", where.price);
      found.AddRaw("volume", where.volume);
     }
   SendLine(found.Json());
   LogLine(StringFormat("query %I64u for %s: %s", id, cid, where.state));
  }

//+------------------------------------------------------------------+
//| Messages to SignalOS                                             |
//+------------------------------------------------------------------+
void SendError(const string reason)
  {
   LogLine("error: " + reason);
   if(g_stage == HS_AWAIT_CHALLENGE)
      return; // nothing but hello goes out to a listener that has not proved itself
   JsonObject message;
   message.AddString("type", "error");
   message.AddString("reason", reason);
   SendLine(message.Json());
  }

//--- Only what the engine needs to answer: the terminal and the account wait for the proof, so a
//--- listener that is not SignalOS learns nothing about them.
void SendHello(void)
  {
   // the secret itself never goes out: the nonce asks the engine to prove it knows it
   JsonObject hello;
   hello.AddString("type", "hello");
   hello.AddLong("protocol", PROTOCOL_VERSION);
   hello.AddString("nonce", g_eaNonce);
   hello.AddString("ea", EA_NAME + " " + EA_VERSION);
   SendLine(hello.Json());
  }

//--- The terminal as proof carries it.
string TerminalJson(void)
  {
   JsonObject terminal;
   terminal.AddString("name", TerminalInfoString(TERMINAL_NAME));
   terminal.AddString("company", TerminalInfoString(TERMINAL_COMPANY));
   terminal.AddLong("build", TerminalInfoInteger(TERMINAL_BUILD));
   terminal.AddBool("connected", TerminalConnected());
   terminal.AddBool("trade_allowed", TradeAllowed());
   return terminal.Json();
  }

//--- Orders fail with 10027 unless Algo Trading is on in the terminal and for this EA.
bool TradeAllowed(void)
  {
   return TerminalInfoInteger(TERMINAL_TRADE_ALLOWED) != 0 && MQLInfoInteger(MQL_TRADE_ALLOWED) != 0;
  }

//--- Whether the terminal is connected to the broker's trade server.
bool TerminalConnected(void)
  {
   return TerminalInfoInteger(TERMINAL_CONNECTED) != 0;
  }

void SendSymbols(void)
  {
   JsonList names;
   int total = SymbolsTotal(false);
   for(int i = 0; i < total; i++)
      names.Add(JsonQuote(SymbolName(i, false)));
   JsonObject message;
   message.AddString("type", "symbols");
   message.AddRaw("names", names.Json());
   SendLine(message.Json());
  }

void SendSpecs(void)
  {
   JsonList specs;
   for(int i = 0; i < ArraySize(g_symbols); i++)
      specs.Add(SpecJson(g_symbols[i]));
   JsonObject message;
   message.AddString("type", "specs");
   message.AddRaw("specs", specs.Json());
   SendLine(message.Json());
  }

void SendSnapshot(void)
  {
   JsonList positions;
   for(int i = 0; i < PositionsTotal(); i++)
      if(PositionGetTicket(i) > 0)
         positions.Add(PositionJson());
   JsonList orders;
   for(int i = 0; i < OrdersTotal(); i++)
      if(OrderGetTicket(i) > 0 && IsPendingType((ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE)))
         orders.Add(OrderJson());
   JsonList quotes;
   MqlTick tick;
   for(int i = 0; i < ArraySize(g_symbols); i++)
      if(SymbolInfoTick(g_symbols[i], tick) && tick.bid > 0)
        {
         JsonObject quote;
         AddQuote(quote, g_symbols[i], tick);
         quotes.Add(quote.Json());
        }
   JsonObject message;
   message.AddString("type", "snapshot");
   message.AddRaw("account", AccountJson());
   message.AddRaw("positions", positions.Json());
   message.AddRaw("orders", orders.Json());
   message.AddRaw("quotes", quotes.Json());
   if(!SendLine(message.Json()))
      return;
   g_synced = true;
   // the snapshot's account carries no trade_allowed nor connected: an account message
   // follows at once with both, as every account message does
   bool tradeAllowed = TradeAllowed();
   bool connected = TerminalConnected();
   if(SendLine(AccountMessageJson(tradeAllowed, connected)))
      RememberAccountSent(tradeAllowed, connected);
   LogLine(StringFormat("synced: specs and snapshot sent (%d positions, %d pending orders)", positions.Count(), orders.Count()));
  }

void StreamTicks(void)
  {
   ulong now = GetTickCount64();
   MqlTick tick;
   for(int i = 0; i < ArraySize(g_symbols) && g_socket != INVALID_HANDLE; i++)
     {
      if(now - g_tickSentMs[i] < g_tickThrottleMs)
         continue;
      if(!SymbolInfoTick(g_symbols[i], tick) || tick.bid <= 0 || tick.time_msc == g_tickTimeMsc[i])
         continue;
      JsonObject message;
      message.AddString("type", "tick");
      AddQuote(message, g_symbols[i], tick);
      if(!SendLine(message.Json()))
         return;
      g_tickTimeMsc[i] = tick.time_msc;
      g_tickSentMs[i] = now;
     }
  }

//--- Balance and margin change with trades; equity with every tick of an open position, so
//--- it is reported when it moved by 0.01 % of the balance. Algo Trading and the trade
//--- server's connection can change at any time: either change is reported at once, since
//--- the engine takes no new entries while one is off.
void StreamAccount(void)
  {
   ulong now = GetTickCount64();
   if(now - g_accountCheckedMs < ACCOUNT_CHECK_MS)
      return;
   g_accountCheckedMs = now;
   bool tradeAllowed = TradeAllowed();
   bool connected = TerminalConnected();
   double cent = MathPow(10.0, -MoneyDigits());
   double balance = AccountInfoDouble(ACCOUNT_BALANCE);
   double equityStep = MathMax(cent, MathAbs(balance) * 0.0001);
   if(tradeAllowed == g_sentTradeAllowed && connected == g_sentConnected
      && MathAbs(balance - g_sentBalance) < cent / 2
      && MathAbs(AccountInfoDouble(ACCOUNT_MARGIN) - g_sentMargin) < cent / 2
      && MathAbs(AccountInfoDouble(ACCOUNT_EQUITY) - g_sentEquity) < equityStep)
      return;
   if(tradeAllowed != g_sentTradeAllowed)
      LogLine(tradeAllowed ? "Algo Trading is on again"
                           : "Algo Trading is off (terminal button or this EA's Common tab): SignalOS takes no new entries, orders would fail with 10027");
   if(connected != g_sentConnected)
      LogLine(connected ? "the terminal is connected to the trade server again"
                        : "the terminal lost its connection to the trade server: SignalOS takes no new entries");
   if(SendLine(AccountMessageJson(tradeAllowed, connected)))
      RememberAccountSent(tradeAllowed, connected);
  }

//--- {"type":"account","account":{...},"trade_allowed":...,"connected":...}
string AccountMessageJson(const bool tradeAllowed, const bool connected)
  {
   JsonObject message;
   message.AddString("type", "account");
   message.AddRaw("account", AccountJson());
   message.AddBool("trade_allowed", tradeAllowed);
   message.AddBool("connected", connected);
   return message.Json();
  }

void RememberAccountSent(const bool tradeAllowed, const bool connected)
  {
   g_sentBalance = AccountInfoDouble(ACCOUNT_BALANCE);
   g_sentEquity = AccountInfoDouble(ACCOUNT_EQUITY);
   g_sentMargin = AccountInfoDouble(ACCOUNT_MARGIN);
   g_sentTradeAllowed = tradeAllowed;
   g_sentConnected = connected;
  }

//--- A deal opens, changes or closes a position. The deal names the position by its
//--- POSITION_IDENTIFIER; the wire names it by its POSITION_TICKET, which a netting reversal
//--- (or a broker's rollover) can change.
void ReportDeal(const ulong deal)
  {
   if(!HistoryDealSelect(deal))
      return;
   ENUM_DEAL_TYPE type = (ENUM_DEAL_TYPE)HistoryDealGetInteger(deal, DEAL_TYPE);
   if(type != DEAL_TYPE_BUY && type != DEAL_TYPE_SELL)
      return; // balance, credit, commission...: the account update covers them
   // everything needed from the deal is read before another history selection replaces it
   long identifier = HistoryDealGetInteger(deal, DEAL_POSITION_ID);
   ENUM_DEAL_ENTRY entry = (ENUM_DEAL_ENTRY)HistoryDealGetInteger(deal, DEAL_ENTRY);
   string symbol = HistoryDealGetString(deal, DEAL_SYMBOL);
   double price = HistoryDealGetDouble(deal, DEAL_PRICE);
   double ownNet = DealNet(deal);
   ENUM_DEAL_REASON reason = (ENUM_DEAL_REASON)HistoryDealGetInteger(deal, DEAL_REASON);
   long timeMsc = HistoryDealGetInteger(deal, DEAL_TIME_MSC);
   if(SelectPositionById(identifier) > 0)
     {
      SendPositionMessage(); // opened, added to, partly closed or reversed: what is left
      return;
     }
   if(entry == DEAL_ENTRY_IN)
      return; // opened and already gone: its closing deal reports it
   ulong ticket = PositionTicketOf(identifier);
   JsonObject message;
   message.AddString("type", "position_closed");
   message.AddUlong("ticket", ticket);
   message.AddRaw("price", PriceText(SymbolDigits(symbol), price));
   message.AddRaw("profit", MoneyText(RealisedNet(identifier, ownNet)));
   message.AddString("reason", CloseReason(reason));
   message.AddLong("time", ServerToUtcMs(timeMsc));
   SendLine(message.Json());
  }

//--- What a deal did to the balance: its profit, swap, commission and fee.
double DealNet(const ulong deal)
  {
   return HistoryDealGetDouble(deal, DEAL_PROFIT) + HistoryDealGetDouble(deal, DEAL_SWAP)
          + HistoryDealGetDouble(deal, DEAL_COMMISSION) + HistoryDealGetDouble(deal, DEAL_FEE);
  }

//--- A position's realised result, net, as position_closed reports it (docs/bridge-protocol.md,
//--- Streaming): the profit, swap, commission and fee of its closing deals (earlier partial
//--- closes included) and the commission and fee of its opening deals, since the ticket it
//--- closes under began, less what an earlier ticket of the same position already reported.
//--- `fallback` (the last deal's own) if the history lacks them.
double RealisedNet(const long identifier, const double fallback)
  {
   PositionBooks books;
   if(!ReadPositionBooks(identifier, books) || books.closings == 0)
      return fallback;
   int slot = CachedPositionSlot(identifier);
   if(slot >= 0 && g_cachedReversals[slot] == books.reversals)
      return books.realised - g_cachedNet[slot];
   return books.realised;
  }

//--- Reads the deals of the position `identifier` (HistorySelectByPosition, which replaces the
//--- history selection) in the order they were made. An in/out deal of a netting reversal
//--- ends the old ticket with its profit, swap and the closed volume's share of its commission
//--- and fee; the rest of those charges opens the new ticket. False when the history holds none.
bool ReadPositionBooks(const long identifier, PositionBooks &books)
  {
   books.reversals = 0;
   books.ended = 0.0;
   books.realised = 0.0;
   books.opening = 0.0;
   books.closings = 0;
   books.reversalPrice = 0.0;
   books.reversalTimeMsc = 0;
   if(identifier <= 0 || !HistorySelectByPosition(identifier))
      return false;
   double held = 0.0;
   int deals = 0;
   int total = HistoryDealsTotal();
   for(int i = 0; i < total; i++)
     {
      ulong deal = HistoryDealGetTicket(i);
      if(deal == 0)
         continue;
      ENUM_DEAL_TYPE type = (ENUM_DEAL_TYPE)HistoryDealGetInteger(deal, DEAL_TYPE);
      if(type != DEAL_TYPE_BUY && type != DEAL_TYPE_SELL)
         continue;
      deals++;
      ENUM_DEAL_ENTRY entry = (ENUM_DEAL_ENTRY)HistoryDealGetInteger(deal, DEAL_ENTRY);
      double volume = HistoryDealGetDouble(deal, DEAL_VOLUME);
      double result = HistoryDealGetDouble(deal, DEAL_PROFIT) + HistoryDealGetDouble(deal, DEAL_SWAP);
      double charges = HistoryDealGetDouble(deal, DEAL_COMMISSION) + HistoryDealGetDouble(deal, DEAL_FEE);
      if(entry == DEAL_ENTRY_IN)
        {
         books.realised += charges;
         books.opening += charges;
         held += volume;
        }
      else
         if(entry == DEAL_ENTRY_INOUT)
           {
            double closed = MathMin(held, volume);
            double share = volume > 0 ? closed / volume : 1.0;
            books.ended = books.realised + result + charges * share;
            books.realised = charges * (1.0 - share);
            books.opening = books.realised;
            books.closings = 0;
            held = volume - closed;
            books.reversals++;
            books.reversalPrice = HistoryDealGetDouble(deal, DEAL_PRICE);
            books.reversalTimeMsc = HistoryDealGetInteger(deal, DEAL_TIME_MSC);
           }
         else // DEAL_ENTRY_OUT, DEAL_ENTRY_OUT_BY
           {
            books.realised += result + charges;
            books.closings++;
            held = MathMax(0.0, held - volume);
           }
     }
   return deals > 0;
  }

//--- Selects the open position whose POSITION_IDENTIFIER is `identifier`; its POSITION_TICKET,
//--- or 0 when none is open.
ulong SelectPositionById(const long identifier)
  {
   if(identifier <= 0)
      return 0;
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      ulong ticket = PositionGetTicket(i);
      if(ticket > 0 && PositionGetInteger(POSITION_IDENTIFIER) == identifier)
         return ticket;
     }
   return 0;
  }

//--- The ticket the wire names a position by: its POSITION_TICKET while it is open; once it
//--- has closed, the last ticket reported for it, else its identifier (its first ticket).
ulong PositionTicketOf(const long identifier)
  {
   ulong ticket = SelectPositionById(identifier);
   if(ticket > 0)
      return ticket;
   int slot = CachedPositionSlot(identifier);
   if(slot >= 0)
      return g_cachedTickets[slot];
   return (ulong)identifier;
  }

//--- The POSITION_IDENTIFIER of the position reported under `ticket`: a ticket a reversal gave
//--- is not the identifier. The ticket itself (a position's first ticket is its identifier)
//--- when it was never reported.
long IdentifierOfTicket(const ulong ticket)
  {
   for(int i = 0; i < POSITION_CACHE_SIZE; i++)
      if(g_cachedIds[i] > 0 && g_cachedTickets[i] == ticket)
         return g_cachedIds[i];
   return (long)ticket;
  }

int CachedPositionSlot(const long identifier)
  {
   if(identifier <= 0)
      return -1;
   for(int i = 0; i < POSITION_CACHE_SIZE; i++)
      if(g_cachedIds[i] == identifier)
         return i;
   return -1;
  }

//--- `reversals` is what the position's books hold now (-1: unknown). A reversal the cache
//--- did not see (the link was down) starts a new ticket: nothing of it was reported yet.
int CachePositionTicket(const long identifier, const ulong ticket, const int reversals)
  {
   if(identifier <= 0)
      return -1;
   int slot = CachedPositionSlot(identifier);
   if(slot < 0)
     {
      slot = g_cacheNext;
      g_cacheNext = (g_cacheNext + 1) % POSITION_CACHE_SIZE;
      g_cachedReversals[slot] = reversals;
      g_cachedNet[slot] = 0.0;
      g_cachedOpening[slot] = 0.0;
     }
   else
      if(reversals >= 0 && g_cachedReversals[slot] != reversals)
        {
         g_cachedReversals[slot] = reversals;
         g_cachedNet[slot] = 0.0;
         g_cachedOpening[slot] = 0.0;
        }
   g_cachedIds[slot] = identifier;
   g_cachedTickets[slot] = ticket;
   return slot;
  }

string CloseReason(const ENUM_DEAL_REASON reason)
  {
   if(reason == DEAL_REASON_SL)
      return "stop_loss";
   if(reason == DEAL_REASON_TP)
      return "take_profit";
   if(reason == DEAL_REASON_SO)
      return "stop_out";
   return "request";
  }

//--- SL or TP changed on the server's side, by us or by hand.
void ReportPosition(const ulong ticket)
  {
   if(PositionSelectByTicket(ticket))
      SendPositionMessage();
  }

//--- The selected position. When its ticket changed since it was last reported (a netting
//--- reversal, or a broker re-opening it at rollover), the old ticket is reported closed first,
//--- with what it realised, and the position then goes out under the new one (docs/bridge-
//--- protocol.md, snapshot): the engine follows it by symbol and cid.
void SendPositionMessage(void)
  {
   ulong ticket = (ulong)PositionGetInteger(POSITION_TICKET);
   long identifier = PositionGetInteger(POSITION_IDENTIFIER);
   int slot = CachedPositionSlot(identifier);
   if(slot >= 0 && g_cachedTickets[slot] > 0 && g_cachedTickets[slot] != ticket)
      ReportTicketChange(slot, identifier, PositionGetString(POSITION_SYMBOL), PositionGetDouble(POSITION_PRICE_CURRENT));
   JsonObject message;
   message.AddString("type", "position");
   message.AddRaw("position", PositionJson());
   SendLine(message.Json());
  }

//--- position_closed for the ticket the cache holds at `slot`, reason request: at the reversal's
//--- deal price and time, with the result of the ticket it ended; for a ticket changed without
//--- a reversal, at the current price, with what the position realised so far (which the new
//--- ticket's reports then leave out). Only reads the history: the position stays selected.
void ReportTicketChange(const int slot, const long identifier, const string symbol, const double currentPrice)
  {
   ulong old = g_cachedTickets[slot];
   PositionBooks books;
   bool booked = ReadPositionBooks(identifier, books);
   double profit = 0.0;
   double price = currentPrice;
   long closedAt = UtcNowMs();
   if(booked && books.reversals > 0 && books.reversals != g_cachedReversals[slot])
     {
      // the old ticket's reports left out what an earlier ticket change reported, if that was in the same era
      profit = books.ended - (g_cachedReversals[slot] == books.reversals - 1 ? g_cachedNet[slot] : 0.0);
      price = books.reversalPrice;
      closedAt = ServerToUtcMs(books.reversalTimeMsc);
      g_cachedReversals[slot] = books.reversals;
      g_cachedNet[slot] = 0.0;
      g_cachedOpening[slot] = 0.0;
     }
   else
      if(booked)
        {
         if(g_cachedReversals[slot] != books.reversals)
           {
            g_cachedReversals[slot] = books.reversals;
            g_cachedNet[slot] = 0.0;
            g_cachedOpening[slot] = 0.0;
           }
         profit = books.realised - g_cachedNet[slot];
         g_cachedNet[slot] = books.realised;
         g_cachedOpening[slot] = books.opening;
        }
   JsonObject message;
   message.AddString("type", "position_closed");
   message.AddUlong("ticket", old);
   message.AddRaw("price", PriceText(SymbolDigits(symbol), price));
   message.AddRaw("profit", MoneyText(profit));
   message.AddString("reason", "request");
   message.AddLong("time", closedAt);
   SendLine(message.Json());
   LogLine(StringFormat("position %I64d changed its ticket from %I64u: the old ticket is reported closed", identifier, old));
  }

//--- A pending order is reported once the server has placed it, and again when it changes.
void ReportOrder(const ulong ticket)
  {
   if(!OrderSelect(ticket))
      return;
   ENUM_ORDER_STATE state = (ENUM_ORDER_STATE)OrderGetInteger(ORDER_STATE);
   if(state != ORDER_STATE_PLACED && state != ORDER_STATE_PARTIAL)
      return;
   JsonObject message;
   message.AddString("type", "order");
   message.AddRaw("order", OrderJson());
   SendLine(message.Json());
  }

//--- A pending order moves to the history once, with the state it left the book in.
void ReportOrderRemoved(const ulong ticket, const ENUM_ORDER_STATE state)
  {
   string reason;
   if(state == ORDER_STATE_FILLED)
      reason = "filled";
   else
      if(state == ORDER_STATE_CANCELED)
         reason = "cancelled";
      else
         if(state == ORDER_STATE_EXPIRED)
            reason = "expired";
         else
            if(state == ORDER_STATE_REJECTED)
               reason = "cancelled"; // rejected at activation: it left the book unfilled
            else
               return;
   JsonObject message;
   message.AddString("type", "order_removed");
   message.AddUlong("ticket", ticket);
   message.AddString("reason", reason);
   SendLine(message.Json());
  }

//+------------------------------------------------------------------+
//| Message bodies                                                   |
//+------------------------------------------------------------------+
string AccountJson(void)
  {
   JsonObject account;
   account.AddLong("login", AccountInfoInteger(ACCOUNT_LOGIN));
   account.AddString("server", AccountInfoString(ACCOUNT_SERVER));
   account.AddString("currency", AccountInfoString(ACCOUNT_CURRENCY));
   account.AddLong("leverage", AccountInfoInteger(ACCOUNT_LEVERAGE));
   account.AddBool("hedging", IsHedging());
   account.AddRaw("balance", MoneyText(AccountInfoDouble(ACCOUNT_BALANCE)));
   account.AddRaw("equity", MoneyText(AccountInfoDouble(ACCOUNT_EQUITY)));
   account.AddRaw("margin", MoneyText(AccountInfoDouble(ACCOUNT_MARGIN)));
   account.AddRaw("free_margin", MoneyText(AccountInfoDouble(ACCOUNT_MARGIN_FREE)));
   return account.Json();
  }

bool IsHedging(void)
  {
   return AccountInfoInteger(ACCOUNT_MARGIN_MODE) == ACCOUNT_MARGIN_MODE_RETAIL_HEDGING;
  }

string SpecJson(const string symbol)
  {
   JsonObject spec;
   spec.AddString("name", symbol);
   spec.AddString("description", SymbolInfoString(symbol, SYMBOL_DESCRIPTION));
   spec.AddLong("digits", SymbolInfoInteger(symbol, SYMBOL_DIGITS));
   spec.AddRaw("point", FineText(SymbolInfoDouble(symbol, SYMBOL_POINT)));
   spec.AddRaw("tick_size", FineText(SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_SIZE)));
   spec.AddRaw("tick_value", FineText(SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_VALUE)));
   spec.AddRaw("contract_size", FineText(SymbolInfoDouble(symbol, SYMBOL_TRADE_CONTRACT_SIZE)));
   spec.AddRaw("volume_min", VolumeText(SymbolInfoDouble(symbol, SYMBOL_VOLUME_MIN)));
   spec.AddRaw("volume_step", VolumeText(SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP)));
   spec.AddRaw("volume_max", VolumeText(SymbolInfoDouble(symbol, SYMBOL_VOLUME_MAX)));
   spec.AddLong("stops_level", SymbolInfoInteger(symbol, SYMBOL_TRADE_STOPS_LEVEL));
   spec.AddLong("freeze_level", SymbolInfoInteger(symbol, SYMBOL_TRADE_FREEZE_LEVEL));
   spec.AddRaw("margin_rate", FineText(MarginRate(symbol)));
   spec.AddString("execution", ExecutionName(symbol));
   spec.AddRaw("filling_modes", FillingModesJson(symbol));
   spec.AddString("trade_mode", TradeModeName(symbol));
   return spec.Json();
  }

//--- The margin of one lot over its notional value, both in the account currency. A tick
//--- is worth tick_value, so the notional is price / tick_size * tick_value.
double MarginRate(const string symbol)
  {
   double price = SymbolInfoDouble(symbol, SYMBOL_ASK);
   double tickSize = SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_SIZE);
   double tickValue = SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_VALUE);
   double margin = 0.0;
   if(price > 0 && tickSize > 0 && tickValue > 0
      && OrderCalcMargin(ORDER_TYPE_BUY, symbol, 1.0, price, margin) && margin > 0)
      return margin / (price / tickSize * tickValue);
   long leverage = AccountInfoInteger(ACCOUNT_LEVERAGE);
   return leverage > 0 ? 1.0 / leverage : 1.0; // no quote yet: the account's leverage is the best guess
  }

//--- The filling modes a market deal may use, in the order the EA uses them (docs/bridge-
//--- protocol.md, Filling mode; the MQL5 reference's table for ENUM_ORDER_TYPE_FILLING):
//---   instant, request: FOK, IOC whatever SYMBOL_FILLING_MODE says
//---   market:           FOK, IOC as the flags allow; never RETURN
//---   exchange:         FOK, IOC as the flags allow, then RETURN
//--- Flags that allow nothing leave RETURN for exchange execution, FOK otherwise. The specs
//--- report exactly this list, and deals are sent with its first mode.
int DealFillingModes(const string symbol, ENUM_ORDER_TYPE_FILLING &modes[])
  {
   ArrayResize(modes, 0);
   ENUM_SYMBOL_TRADE_EXECUTION execution = (ENUM_SYMBOL_TRADE_EXECUTION)SymbolInfoInteger(symbol, SYMBOL_TRADE_EXEMODE);
   long flags = SymbolInfoInteger(symbol, SYMBOL_FILLING_MODE);
   if(execution == SYMBOL_TRADE_EXECUTION_INSTANT || execution == SYMBOL_TRADE_EXECUTION_REQUEST)
     {
      AddFilling(modes, ORDER_FILLING_FOK);
      AddFilling(modes, ORDER_FILLING_IOC);
      return ArraySize(modes);
     }
   if((flags & SYMBOL_FILLING_FOK) != 0)
      AddFilling(modes, ORDER_FILLING_FOK);
   if((flags & SYMBOL_FILLING_IOC) != 0)
      AddFilling(modes, ORDER_FILLING_IOC);
   if(execution == SYMBOL_TRADE_EXECUTION_EXCHANGE)
      AddFilling(modes, ORDER_FILLING_RETURN);
   if(ArraySize(modes) == 0)
      AddFilling(modes, ORDER_FILLING_FOK); // market execution with no flag: a misconfigured symbol
   return ArraySize(modes);
  }

void AddFilling(ENUM_ORDER_TYPE_FILLING &modes[], const ENUM_ORDER_TYPE_FILLING mode)
  {
   int count = ArraySize(modes);
   ArrayResize(modes, count + 1);
   modes[count] = mode;
  }

string FillingName(const ENUM_ORDER_TYPE_FILLING mode)
  {
   if(mode == ORDER_FILLING_FOK)
      return "fok";
   if(mode == ORDER_FILLING_IOC)
      return "ioc";
   return "return";
  }

string FillingModesJson(const string symbol)
  {
   ENUM_ORDER_TYPE_FILLING modes[];
   JsonList list;
   int count = DealFillingModes(symbol, modes);
   for(int i = 0; i < count; i++)
      list.Add(JsonQuote(FillingName(modes[i])));
   return list.Json();
  }

//--- SYMBOL_TRADE_EXEMODE as the specs name it.
string ExecutionName(const string symbol)
  {
   switch((ENUM_SYMBOL_TRADE_EXECUTION)SymbolInfoInteger(symbol, SYMBOL_TRADE_EXEMODE))
     {
      case SYMBOL_TRADE_EXECUTION_REQUEST:
         return "request";
      case SYMBOL_TRADE_EXECUTION_INSTANT:
         return "instant";
      case SYMBOL_TRADE_EXECUTION_EXCHANGE:
         return "exchange";
      default:
         return "market";
     }
  }

string TradeModeName(const string symbol)
  {
   switch((ENUM_SYMBOL_TRADE_MODE)SymbolInfoInteger(symbol, SYMBOL_TRADE_MODE))
     {
      case SYMBOL_TRADE_MODE_FULL:
         return "full";
      case SYMBOL_TRADE_MODE_LONGONLY:
         return "long_only";
      case SYMBOL_TRADE_MODE_SHORTONLY:
         return "short_only";
      case SYMBOL_TRADE_MODE_CLOSEONLY:
         return "close_only";
      default:
         return "disabled";
     }
  }

void AddQuote(JsonObject &json, const string symbol, const MqlTick &tick)
  {
   int digits = SymbolDigits(symbol);
   json.AddString("symbol", symbol);
   json.AddRaw("bid", PriceText(digits, tick.bid));
   json.AddRaw("ask", PriceText(digits, tick.ask));
   json.AddLong("time", ServerToUtcMs(tick.time_msc));
  }

//--- The selected position (PositionGetTicket / PositionSelectByTicket). It replaces the
//--- history selection (the opening deals' commission).
string PositionJson(void)
  {
   string symbol = PositionGetString(POSITION_SYMBOL);
   int digits = SymbolDigits(symbol);
   ulong ticket = (ulong)PositionGetInteger(POSITION_TICKET);
   long identifier = PositionGetInteger(POSITION_IDENTIFIER);
   JsonObject position;
   position.AddUlong("ticket", ticket);
   position.AddString("symbol", symbol);
   position.AddString("side", PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY ? "buy" : "sell");
   position.AddRaw("volume", VolumeText(PositionGetDouble(POSITION_VOLUME)));
   position.AddRaw("open_price", PriceText(digits, PositionGetDouble(POSITION_PRICE_OPEN)));
   position.AddLong("open_time", ServerToUtcMs(PositionGetInteger(POSITION_TIME_MSC)));
   position.AddRaw("sl", LevelText(digits, PositionGetDouble(POSITION_SL)));
   position.AddRaw("tp", LevelText(digits, PositionGetDouble(POSITION_TP)));
   position.AddRaw("current_price", PriceText(digits, PositionGetDouble(POSITION_PRICE_CURRENT)));
   position.AddRaw("profit", MoneyText(PositionGetDouble(POSITION_PROFIT)));
   position.AddRaw("swap", MoneyText(PositionGetDouble(POSITION_SWAP)));
   position.AddString("cid", OwnCid(PositionGetString(POSITION_COMMENT), PositionGetInteger(POSITION_MAGIC)));
   // the history is read last: every position field is read above
   PositionBooks books;
   bool booked = ReadPositionBooks(identifier, books);
   int slot = CachePositionTicket(identifier, ticket, booked ? books.reversals : -1);
   double commission = booked ? books.opening : 0.0;
   if(booked && slot >= 0 && g_cachedReversals[slot] == books.reversals)
      commission -= g_cachedOpening[slot];
   position.AddRaw("commission", MoneyText(commission));
   return position.Json();
  }

//--- The selected pending order (OrderGetTicket / OrderSelect).
string OrderJson(void)
  {
   string symbol = OrderGetString(ORDER_SYMBOL);
   int digits = SymbolDigits(symbol);
   ENUM_ORDER_TYPE type = (ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE);
   JsonObject order;
   order.AddUlong("ticket", (ulong)OrderGetInteger(ORDER_TICKET));
   order.AddString("symbol", symbol);
   order.AddString("side", IsBuyType(type) ? "buy" : "sell");
   // the protocol knows limit and stop; a stop-limit waits for its stop price like a stop
   order.AddString("order_type", type == ORDER_TYPE_BUY_LIMIT || type == ORDER_TYPE_SELL_LIMIT ? "limit" : "stop");
   order.AddRaw("volume", VolumeText(OrderGetDouble(ORDER_VOLUME_CURRENT)));
   order.AddRaw("price", PriceText(digits, OrderGetDouble(ORDER_PRICE_OPEN)));
   order.AddRaw("sl", LevelText(digits, OrderGetDouble(ORDER_SL)));
   order.AddRaw("tp", LevelText(digits, OrderGetDouble(ORDER_TP)));
   order.AddLong("placed_at", ServerToUtcMs(OrderGetInteger(ORDER_TIME_SETUP_MSC)));
   order.AddString("cid", OwnCid(OrderGetString(ORDER_COMMENT), OrderGetInteger(ORDER_MAGIC)));
   return order.Json();
  }

//--- A position or order is SignalOS's when it carries SignalOS's magic; the engine sees no
//--- magic, so others go out with an empty cid and are shown, never touched.
string OwnCid(const string comment, const long magic)
  {
   return (ulong)magic == g_magic ? comment : "";
  }

//+------------------------------------------------------------------+
//| Trades                                                           |
//+------------------------------------------------------------------+
//--- Exactly one result per trade (docs/bridge-protocol.md, result). A trade the EA cannot
//--- read is answered rejected 10013 with a message naming the field and what was expected;
//--- only a line whose id cannot be read gets an error. Nothing of an invalid request is
//--- executed. A cid answered before is answered the same way again and not executed.
void HandleTrade(JsonValue *message)
  {
   ulong id = 0;
   if(!ReadUnsigned(message, "id", id))
     {
      SendError("trade: field id is missing or not a whole non-negative number, so no result can answer it");
      return;
     }
   JsonValue *request = message.Member("request");
   if(request == NULL || request.Kind() != JV_OBJECT)
     {
      RejectInvalid(id, "", "", FieldProblem(message, "trade", "request", "an object"));
      return;
     }
   string cid = "";
   if(!ReadString(request, "cid", cid) || cid == "")
     {
      RejectInvalid(id, "", "", FieldProblem(request, "trade", "cid", "a non-empty string of at most 31 ASCII characters"));
      return;
     }
   int slot = MemorySlot(cid);
   if(slot >= 0)
     {
      LogLine(StringFormat("trade %I64u %s: answered before, not executed again", id, cid));
      SendResult(id, cid, g_memory[slot].outcome);
      return;
     }
   string op = "";
   if(!ReadString(request, "op", op))
     {
      RejectInvalid(id, cid, "", FieldProblem(request, "trade", "op", "\"place\", \"modify\", \"close\" or \"cancel\""));
      return;
     }
   Outcome outcome;
   string problem = "";
   // the comment is where a cid is found again after a restart: one cut short by the
   // terminal would never be found, and exactly-once would rest on the memory alone
   if(StringLen(cid) > MAX_CID_CHARS)
      problem = StringFormat("trade: field cid has %d characters, an order comment holds %d", StringLen(cid), MAX_CID_CHARS);
   else
      if(op == "place")
         problem = ExecutePlace(request, cid, outcome);
      else
         if(op == "modify")
            problem = ExecuteModify(request, outcome);
         else
            if(op == "close")
               problem = ExecuteClose(request, cid, outcome);
            else
               if(op == "cancel")
                  problem = ExecuteCancel(request, outcome);
               else
                  problem = FieldProblem(request, "trade", "op", "\"place\", \"modify\", \"close\" or \"cancel\"");
   if(problem != "")
     {
      RejectInvalid(id, cid, op, problem);
      return;
     }
   string json = OutcomeJson(outcome);
   Remember(cid, op, outcome, json);
   SendResult(id, cid, json);
   LogLine(StringFormat("trade %I64u %s %s: %s", id, op, cid, OutcomeSummary(outcome)));
  }

//--- The one result of a trade that could not be read: rejected, 10013, what was wrong. It is
//--- not remembered: nothing was executed, and a corrected request under the cid may follow.
void RejectInvalid(const ulong id, const string cid, const string op, const string problem)
  {
   Outcome outcome;
   Reject(outcome, TRADE_RETCODE_INVALID);
   outcome.message = problem;
   SendResult(id, cid, OutcomeJson(outcome));
   LogLine(StringFormat("trade %I64u %s %s: invalid, not executed: %s", id, op, cid, problem));
  }

void SendResult(const ulong id, const string cid, const string outcome)
  {
   JsonObject message;
   message.AddString("type", "result");
   message.AddUlong("id", id);
   message.AddString("cid", cid);
   message.AddRaw("outcome", outcome);
   SendLine(message.Json());
  }

//--- Each Execute* returns why the request is invalid ("" when it is not: a 10013 result names
//--- the field) and otherwise fills the outcome, done or rejected. Every field the protocol
//--- shows is required; only an explicit null means "none".
string ExecutePlace(JsonValue *request, const string cid, Outcome &outcome)
  {
   string symbol = "";
   string side = "";
   string kind = "";
   double volume = 0.0;
   double price = 0.0;
   double sl = 0.0;
   double tp = 0.0;
   bool priceNull = false;
   bool slNull = false;
   bool tpNull = false;
   if(!ReadString(request, "symbol", symbol) || symbol == "")
      return FieldProblem(request, "place", "symbol", "the terminal's name of the symbol");
   if(!ReadString(request, "side", side) || (side != "buy" && side != "sell"))
      return FieldProblem(request, "place", "side", "\"buy\" or \"sell\"");
   if(!ReadString(request, "order_type", kind) || (kind != "market" && kind != "limit" && kind != "stop"))
      return FieldProblem(request, "place", "order_type", "\"market\", \"limit\" or \"stop\"");
   if(!ReadNumber(request, "volume", volume))
      return FieldProblem(request, "place", "volume", "a number of lots");
   if(!ReadNumberOrNull(request, "price", price, priceNull))
      return FieldProblem(request, "place", "price", "a price for a limit or stop order, null for a market order");
   if(kind != "market" && (priceNull || price <= 0))
      return StringFormat("place: field price must be a positive price for a %s order", kind);
   if(!ReadNumberOrNull(request, "sl", sl, slNull))
      return FieldProblem(request, "place", "sl", "a price, or null for no stop loss");
   if(!ReadNumberOrNull(request, "tp", tp, tpNull))
      return FieldProblem(request, "place", "tp", "a price, or null for no take profit");
   if(AlreadyExecuted(cid, outcome))
      return "";
   bool buy = side == "buy";
   if(volume <= 0)
      Reject(outcome, TRADE_RETCODE_INVALID_VOLUME, "the volume must be positive");
   else
      if(sl < 0 || tp < 0)
         Reject(outcome, TRADE_RETCODE_INVALID_STOPS, "a level cannot be negative");
      else
         if(!SymbolSelect(symbol, true))
            Reject(outcome, TRADE_RETCODE_INVALID, "unknown symbol " + symbol);
         else
            if(kind == "market")
               PlaceMarket(symbol, buy, volume, sl, tp, cid, outcome); // the market sets the price
            else
               PlacePending(symbol, buy, kind == "limit", volume, price, sl, tp, cid, outcome);
   return "";
  }

//--- After a restart the memory is empty, but the order comment still carries the cid: an
//--- order that went through before is answered, not sent a second time.
bool AlreadyExecuted(const string cid, Outcome &outcome)
  {
   Location found;
   if(!LocateLive(cid, found))
      return false;
   LogLine(StringFormat("%s already executed (%s %I64u): answered without executing again", cid, found.state, found.ticket));
   Done(outcome, found.ticket, found.price, found.volume);
   return true;
  }

void PlaceMarket(const string symbol, const bool buy, const double volume, const double sl, const double tp,
                 const string cid, Outcome &outcome)
  {
   MqlTick tick;
   if(!SymbolInfoTick(symbol, tick) || tick.bid <= 0 || tick.ask <= 0)
     {
      Reject(outcome, TRADE_RETCODE_PRICE_OFF);
      return;
     }
   MqlTradeRequest trade = {};
   trade.action    = TRADE_ACTION_DEAL;
   trade.symbol    = symbol;
   trade.volume    = RoundVolume(symbol, volume);
   trade.type      = buy ? ORDER_TYPE_BUY : ORDER_TYPE_SELL;
   trade.price     = buy ? tick.ask : tick.bid; // required by instant and request execution
   trade.sl        = RoundToTick(symbol, sl);
   trade.tp        = RoundToTick(symbol, tp);
   trade.deviation = InpDeviation;
   trade.magic     = g_magic;
   trade.comment   = cid;
   string problem;
   // the levels of a position are checked against the price it would close at
   if(!StopsFit(symbol, buy, buy ? tick.bid : tick.ask, trade.sl, trade.tp, problem))
     {
      Reject(outcome, TRADE_RETCODE_INVALID_STOPS, problem);
      return;
     }
   MqlTradeResult result = {};
   if(!SendTrade(trade, result))
     {
      FailUnlessExecuted(cid, result, outcome);
      return;
     }
   string price = PriceText(SymbolDigits(symbol), FillPrice(result, trade.price));
   string filled = VolumeText(result.volume > 0 ? result.volume : trade.volume);
   Done(outcome, PositionOfDeal(result.deal, symbol, result.order), price, filled);
  }

//--- A pending order is checked before it is sent as the server would: its price on the right
//--- side of the market by at least the stops level (10015), its SL and TP on the right side
//--- of its price by at least the stops level (10016).
void PlacePending(const string symbol, const bool buy, const bool limit, const double volume, const double price,
                  const double sl, const double tp, const string cid, Outcome &outcome)
  {
   MqlTick tick;
   if(!SymbolInfoTick(symbol, tick) || tick.bid <= 0 || tick.ask <= 0)
     {
      Reject(outcome, TRADE_RETCODE_PRICE_OFF);
      return;
     }
   MqlTradeRequest trade = {};
   trade.action    = TRADE_ACTION_PENDING;
   trade.symbol    = symbol;
   trade.volume    = RoundVolume(symbol, volume);
   trade.type      = PendingType(buy, limit);
   trade.price     = RoundToTick(symbol, price);
   trade.sl        = RoundToTick(symbol, sl);
   trade.tp        = RoundToTick(symbol, tp);
   trade.type_time = PendingLifetime(symbol);
   trade.magic     = g_magic;
   trade.comment   = cid;
   string problem;
   if(!PendingPriceFits(symbol, trade.type, trade.price, tick, problem))
     {
      Reject(outcome, TRADE_RETCODE_INVALID_PRICE, problem);
      return;
     }
   if(!StopsFit(symbol, buy, trade.price, trade.sl, trade.tp, problem))
     {
      Reject(outcome, TRADE_RETCODE_INVALID_STOPS, problem);
      return;
     }
   MqlTradeResult result = {};
   if(!SendTrade(trade, result)) // ORDER_FILLING_RETURN, whatever the execution mode
     {
      FailUnlessExecuted(cid, result, outcome);
      return;
     }
   Done(outcome, result.order, PriceText(SymbolDigits(symbol), trade.price), VolumeText(trade.volume));
  }

//--- The MQL5 reference's stops-level rules for placing a pending order: a buy limit below
//--- the ask, a sell limit above the bid, a buy stop above the ask, a sell stop below the bid,
//--- each by at least SYMBOL_TRADE_STOPS_LEVEL points.
bool PendingPriceFits(const string symbol, const ENUM_ORDER_TYPE type, const double price, const MqlTick &tick,
                      string &problem)
  {
   double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
   long level = SymbolInfoInteger(symbol, SYMBOL_TRADE_STOPS_LEVEL);
   int digits = SymbolDigits(symbol);
   double distance = 0.0;
   double market = 0.0;
   string side = "";
   switch(type)
     {
      case ORDER_TYPE_BUY_LIMIT:
         market = tick.ask;
         distance = tick.ask - price;
         side = "below the ask";
         break;
      case ORDER_TYPE_SELL_LIMIT:
         market = tick.bid;
         distance = price - tick.bid;
         side = "above the bid";
         break;
      case ORDER_TYPE_BUY_STOP:
         market = tick.ask;
         distance = price - tick.ask;
         side = "above the ask";
         break;
      case ORDER_TYPE_SELL_STOP:
         market = tick.bid;
         distance = tick.bid - price;
         side = "below the bid";
         break;
      default:
         return true;
     }
   if(LevelFits(distance, level, point))
      return true;
   problem = StringFormat("the order's price %s must be %s (%s) by at least the stops level (%I64d points)",
                          DoubleToString(price, digits), side, DoubleToString(market, digits), level);
   return false;
  }

//--- MqlTradeResult.price is the price the broker confirmed, which it may leave at 0: the
//--- deal in the history then says what was paid; the price asked for is the last resort.
double FillPrice(const MqlTradeResult &result, const double asked)
  {
   if(result.price > 0)
      return result.price;
   if(result.deal > 0 && HistoryDealSelect(result.deal))
     {
      double paid = HistoryDealGetDouble(result.deal, DEAL_PRICE);
      if(paid > 0)
         return paid;
     }
   return asked;
  }

ENUM_ORDER_TYPE PendingType(const bool buy, const bool limit)
  {
   if(limit)
      return buy ? ORDER_TYPE_BUY_LIMIT : ORDER_TYPE_SELL_LIMIT;
   return buy ? ORDER_TYPE_BUY_STOP : ORDER_TYPE_SELL_STOP;
  }

//--- Good till cancelled where the broker allows it; a broker that only knows day orders
//--- would refuse GTC with 10022.
ENUM_ORDER_TYPE_TIME PendingLifetime(const string symbol)
  {
   long modes = SymbolInfoInteger(symbol, SYMBOL_EXPIRATION_MODE);
   if((modes & SYMBOL_EXPIRATION_GTC) == 0 && (modes & SYMBOL_EXPIRATION_DAY) != 0)
      return ORDER_TIME_DAY;
   return ORDER_TIME_GTC;
  }

//--- The POSITION_TICKET of the position a market deal went into. The deal names the
//--- position's POSITION_IDENTIFIER, which is not always its ticket: a netting reversal keeps
//--- the identifier and may give the position a new ticket. The history may not hold the deal
//--- yet: on hedging accounts a new position's identifier is the ticket of the order that
//--- opened it, and on netting accounts the symbol has one position.
ulong PositionOfDeal(const ulong deal, const string symbol, const ulong order)
  {
   long identifier = 0;
   if(deal > 0 && HistoryDealSelect(deal))
      identifier = HistoryDealGetInteger(deal, DEAL_POSITION_ID);
   if(identifier <= 0 && order > 0 && HistoryOrderSelect(order))
      identifier = HistoryOrderGetInteger(order, ORDER_POSITION_ID);
   if(identifier <= 0)
      identifier = (long)order;
   ulong ticket = SelectPositionById(identifier);
   if(ticket > 0)
      return ticket;
   if(!IsHedging() && PositionSelect(symbol))
      return (ulong)PositionGetInteger(POSITION_TICKET);
   return PositionTicketOf(identifier); // closed at once (a netting deal that flattened it)
  }

string ExecuteModify(JsonValue *request, Outcome &outcome)
  {
   ulong ticket = 0;
   double sl = 0.0;
   double tp = 0.0;
   bool slNull = false;
   bool tpNull = false;
   if(!ReadUnsigned(request, "ticket", ticket))
      return FieldProblem(request, "modify", "ticket", "the position's or pending order's ticket, a whole number");
   if(!ReadNumberOrNull(request, "sl", sl, slNull))
      return FieldProblem(request, "modify", "sl", "a price, or null to remove the stop");
   if(!ReadNumberOrNull(request, "tp", tp, tpNull))
      return FieldProblem(request, "modify", "tp", "a price, or null to remove the take profit");
   if(sl < 0 || tp < 0)
      Reject(outcome, TRADE_RETCODE_INVALID_STOPS, "a level cannot be negative");
   else
      if(PositionSelectByTicket(ticket))
         ModifyPosition(ticket, sl, tp, outcome);
      else
         if(OrderSelect(ticket))
            ModifyOrder(ticket, sl, tp, outcome);
         else
            RejectMissingPosition(ticket, outcome);
   return "";
  }

//--- Both levels are set as given; 0 (null on the wire) removes one. Levels already as asked
//--- are done: a modify resent after a restart leaves no other trace (docs, Exactly once).
void ModifyPosition(const ulong ticket, const double sl, const double tp, Outcome &outcome)
  {
   string symbol = PositionGetString(POSITION_SYMBOL);
   bool buy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
   double currentSl = PositionGetDouble(POSITION_SL);
   double currentTp = PositionGetDouble(POSITION_TP);
   MqlTradeRequest trade = {};
   trade.action   = TRADE_ACTION_SLTP;
   trade.position = ticket;
   trade.symbol   = symbol;
   trade.sl       = RoundToTick(symbol, sl);
   trade.tp       = RoundToTick(symbol, tp);
   trade.magic    = g_magic;
   if(SameLevel(symbol, currentSl, trade.sl) && SameLevel(symbol, currentTp, trade.tp))
     {
      LogLine(StringFormat("position %I64u: its levels are already as asked", ticket));
      Done(outcome, ticket, "null", "null");
      return;
     }
   MqlTick tick;
   if(!SymbolInfoTick(symbol, tick) || tick.bid <= 0 || tick.ask <= 0)
     {
      Reject(outcome, TRADE_RETCODE_PRICE_OFF);
      return;
     }
   string problem;
   if(PositionFrozen(symbol, buy, currentSl, currentTp, tick, problem))
     {
      Reject(outcome, TRADE_RETCODE_FROZEN, problem);
      return;
     }
   if(!StopsFit(symbol, buy, buy ? tick.bid : tick.ask, trade.sl, trade.tp, problem))
     {
      Reject(outcome, TRADE_RETCODE_INVALID_STOPS, problem);
      return;
     }
   MqlTradeResult result = {};
   if(!SendTrade(trade, result) && result.retcode != TRADE_RETCODE_NO_CHANGES)
     {
      RejectResult(outcome, result, GetLastError());
      return;
     }
   Done(outcome, ticket, "null", "null");
  }

//--- A pending order's modify request restates what it keeps: price, stop-limit price,
//--- filling, lifetime, expiry.
void ModifyOrder(const ulong ticket, const double sl, const double tp, Outcome &outcome)
  {
   string symbol = OrderGetString(ORDER_SYMBOL);
   ENUM_ORDER_TYPE type = (ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE);
   double currentSl = OrderGetDouble(ORDER_SL);
   double currentTp = OrderGetDouble(ORDER_TP);
   MqlTradeRequest trade = {};
   trade.action       = TRADE_ACTION_MODIFY;
   trade.order        = ticket;
   trade.symbol       = symbol;
   trade.price        = OrderGetDouble(ORDER_PRICE_OPEN);
   trade.stoplimit    = OrderGetDouble(ORDER_PRICE_STOPLIMIT); // a stop-limit order keeps its limit price
   trade.type_filling = (ENUM_ORDER_TYPE_FILLING)OrderGetInteger(ORDER_TYPE_FILLING);
   trade.type_time    = (ENUM_ORDER_TYPE_TIME)OrderGetInteger(ORDER_TYPE_TIME);
   trade.expiration   = (datetime)OrderGetInteger(ORDER_TIME_EXPIRATION);
   trade.sl           = RoundToTick(symbol, sl);
   trade.tp           = RoundToTick(symbol, tp);
   if(SameLevel(symbol, currentSl, trade.sl) && SameLevel(symbol, currentTp, trade.tp))
     {
      LogLine(StringFormat("order %I64u: its levels are already as asked", ticket));
      Done(outcome, ticket, "null", "null");
      return;
     }
   MqlTick tick;
   if(!SymbolInfoTick(symbol, tick) || tick.bid <= 0 || tick.ask <= 0)
     {
      Reject(outcome, TRADE_RETCODE_PRICE_OFF);
      return;
     }
   string problem;
   if(OrderFrozen(symbol, type, trade.price, tick, problem))
     {
      Reject(outcome, TRADE_RETCODE_FROZEN, problem);
      return;
     }
   // a stop-limit order becomes a limit order at its stop-limit price: its levels are judged from there
   double reference = trade.stoplimit > 0 ? trade.stoplimit : trade.price;
   if(!StopsFit(symbol, IsBuyType(type), reference, trade.sl, trade.tp, problem))
     {
      Reject(outcome, TRADE_RETCODE_INVALID_STOPS, problem);
      return;
     }
   MqlTradeResult result = {};
   if(!SendTrade(trade, result) && result.retcode != TRADE_RETCODE_NO_CHANGES)
     {
      RejectResult(outcome, result, GetLastError());
      return;
     }
   Done(outcome, ticket, "null", "null");
  }

//--- Two levels are the same when they round to the same tick (0 is "not set").
bool SameLevel(const string symbol, const double current, const double wanted)
  {
   double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
   return MathAbs(RoundToTick(symbol, current) - wanted) < point / 2;
  }

string ExecuteClose(JsonValue *request, const string cid, Outcome &outcome)
  {
   ulong ticket = 0;
   double volume = 0.0;
   bool whole = false;
   if(!ReadUnsigned(request, "ticket", ticket))
      return FieldProblem(request, "close", "ticket", "the position's ticket, a whole number");
   if(!ReadNumberOrNull(request, "volume", volume, whole))
      return FieldProblem(request, "close", "volume", "the lots to close, or null to close the whole position");
   if(AlreadyExecuted(cid, outcome))
      return "";
   if(!whole && volume <= 0)
      Reject(outcome, TRADE_RETCODE_INVALID_VOLUME, "the volume must be positive");
   else
      if(PositionSelectByTicket(ticket))
         ClosePosition(ticket, whole ? 0.0 : volume, cid, outcome);
      else
         RejectMissingPosition(ticket, outcome);
   return "";
  }

void RejectMissingPosition(const ulong ticket, Outcome &outcome)
  {
   if(OrderSelect(ticket))
      Reject(outcome, TRADE_RETCODE_INVALID, StringFormat("ticket %I64u is a pending order; cancel it instead", ticket));
   else
      if(HistorySelectByPosition(IdentifierOfTicket(ticket)) && HistoryDealsTotal() > 0)
         Reject(outcome, TRADE_RETCODE_POSITION_CLOSED);
      else
         Reject(outcome, TRADE_RETCODE_INVALID, StringFormat("no such position or order (ticket %I64u)", ticket));
  }

//--- An opposite deal with the position's ticket set closes it, whole (volume 0) or in
//--- part, on hedging and netting accounts alike.
void ClosePosition(const ulong ticket, const double requested, const string cid, Outcome &outcome)
  {
   string symbol = PositionGetString(POSITION_SYMBOL);
   bool buy = PositionGetInteger(POSITION_TYPE) == POSITION_TYPE_BUY;
   double held = PositionGetDouble(POSITION_VOLUME);
   double currentSl = PositionGetDouble(POSITION_SL);
   double currentTp = PositionGetDouble(POSITION_TP);
   double volume = requested > 0 ? RoundVolume(symbol, requested) : held;
   if(volume > held + SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP) / 2)
     {
      Reject(outcome, TRADE_RETCODE_INVALID_CLOSE_VOLUME,
             StringFormat("%s lots asked, the position holds %s", VolumeText(volume), VolumeText(held)));
      return;
     }
   MqlTick tick;
   if(!SymbolInfoTick(symbol, tick) || tick.bid <= 0 || tick.ask <= 0)
     {
      Reject(outcome, TRADE_RETCODE_PRICE_OFF);
      return;
     }
   string problem;
   if(PositionFrozen(symbol, buy, currentSl, currentTp, tick, problem))
     {
      Reject(outcome, TRADE_RETCODE_FROZEN, problem);
      return;
     }
   MqlTradeRequest trade = {};
   trade.action    = TRADE_ACTION_DEAL;
   trade.position  = ticket;
   trade.symbol    = symbol;
   trade.volume    = volume;
   trade.type      = buy ? ORDER_TYPE_SELL : ORDER_TYPE_BUY;
   trade.price     = buy ? tick.bid : tick.ask;
   trade.deviation = InpDeviation;
   trade.magic     = g_magic;
   trade.comment   = cid;
   MqlTradeResult result = {};
   if(!SendTrade(trade, result))
     {
      FailUnlessExecuted(cid, result, outcome);
      return;
     }
   Done(outcome, ticket, PriceText(SymbolDigits(symbol), FillPrice(result, trade.price)),
        VolumeText(result.volume > 0 ? result.volume : volume));
  }

//--- A cancel leaves no trace of its cid: after a restart the book is the witness. An order
//--- already cancelled (or expired) is done; one that filled is rejected 10036 naming its
//--- position (docs/bridge-protocol.md, Exactly once).
string ExecuteCancel(JsonValue *request, Outcome &outcome)
  {
   ulong ticket = 0;
   if(!ReadUnsigned(request, "ticket", ticket))
      return FieldProblem(request, "cancel", "ticket", "the pending order's ticket, a whole number");
   if(!OrderSelect(ticket))
     {
      if(PositionSelectByTicket(ticket))
         Reject(outcome, TRADE_RETCODE_INVALID, StringFormat("ticket %I64u is an open position; close it instead", ticket));
      else
         AnswerCancelOfGoneOrder(ticket, outcome);
      return "";
     }
   string symbol = OrderGetString(ORDER_SYMBOL);
   ENUM_ORDER_TYPE type = (ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE);
   double openPrice = OrderGetDouble(ORDER_PRICE_OPEN);
   string price = PriceText(SymbolDigits(symbol), openPrice);
   string volume = VolumeText(OrderGetDouble(ORDER_VOLUME_CURRENT));
   MqlTick tick;
   string problem;
   if(SymbolInfoTick(symbol, tick) && tick.bid > 0 && tick.ask > 0 && OrderFrozen(symbol, type, openPrice, tick, problem))
     {
      Reject(outcome, TRADE_RETCODE_FROZEN, problem);
      return "";
     }
   MqlTradeRequest trade = {};
   trade.action = TRADE_ACTION_REMOVE;
   trade.order  = ticket;
   MqlTradeResult result = {};
   if(!SendTrade(trade, result))
      RejectResult(outcome, result, GetLastError());
   else
      Done(outcome, ticket, price, volume);
   return "";
  }

//--- The order is no longer in the book: the history says whether it left unfilled (the
//--- cancel is done) or filled (10036, naming the position it became).
void AnswerCancelOfGoneOrder(const ulong ticket, Outcome &outcome)
  {
   if(!HistoryOrderSelect(ticket))
     {
      Reject(outcome, TRADE_RETCODE_INVALID, StringFormat("no such pending order (ticket %I64u)", ticket));
      return;
     }
   ENUM_ORDER_STATE state = (ENUM_ORDER_STATE)HistoryOrderGetInteger(ticket, ORDER_STATE);
   double initial = HistoryOrderGetDouble(ticket, ORDER_VOLUME_INITIAL);
   double filled = initial - HistoryOrderGetDouble(ticket, ORDER_VOLUME_CURRENT);
   double openPrice = HistoryOrderGetDouble(ticket, ORDER_PRICE_OPEN);
   string symbol = HistoryOrderGetString(ticket, ORDER_SYMBOL);
   long identifier = HistoryOrderGetInteger(ticket, ORDER_POSITION_ID);
   if(state == ORDER_STATE_FILLED || state == ORDER_STATE_PARTIAL || filled > VOLUME_EPSILON)
     {
      ulong position = SelectPositionById(identifier);
      string now = position > 0 ? "open" : "since closed";
      if(position == 0)
         position = PositionTicketOf(identifier);
      // 10036 as the protocol asks; the words say what happened to the order
      Reject(outcome, TRADE_RETCODE_POSITION_CLOSED);
      outcome.message = StringFormat("nothing to cancel: pending order %I64u was already filled and is position %I64u (%s)",
                                     ticket, position, now);
      return;
     }
   if(state == ORDER_STATE_CANCELED || state == ORDER_STATE_EXPIRED || state == ORDER_STATE_REJECTED)
     {
      LogLine(StringFormat("order %I64u already left the book unfilled (%s): the cancel is done", ticket, EnumToString(state)));
      Done(outcome, ticket, PriceText(SymbolDigits(symbol), openPrice), VolumeText(initial));
      return;
     }
   Reject(outcome, TRADE_RETCODE_INVALID, StringFormat("order %I64u is not a pending order in the book (%s)", ticket, EnumToString(state)));
  }

//--- Freeze level (SYMBOL_TRADE_FREEZE_LEVEL): a position whose SL or TP is within that many
//--- points of the price it would close at cannot be modified or closed; the server answers
//--- 10029, and so does the EA, before sending. 0 freezes nothing.
bool PositionFrozen(const string symbol, const bool buy, const double sl, const double tp, const MqlTick &tick,
                    string &problem)
  {
   long level = SymbolInfoInteger(symbol, SYMBOL_TRADE_FREEZE_LEVEL);
   if(level <= 0)
      return false;
   double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
   int digits = SymbolDigits(symbol);
   double market = buy ? tick.bid : tick.ask;
   if(sl > 0 && WithinFreeze(buy ? market - sl : sl - market, level, point))
     {
      problem = StringFormat("the stop loss %s is within the freeze level (%I64d points) of the price %s",
                             DoubleToString(sl, digits), level, DoubleToString(market, digits));
      return true;
     }
   if(tp > 0 && WithinFreeze(buy ? tp - market : market - tp, level, point))
     {
      problem = StringFormat("the take profit %s is within the freeze level (%I64d points) of the price %s",
                             DoubleToString(tp, digits), level, DoubleToString(market, digits));
      return true;
     }
   return false;
  }

//--- A pending order whose price is within the freeze level of the market cannot be modified
//--- or cancelled (10029): limits and stops measured from the price they trigger on.
bool OrderFrozen(const string symbol, const ENUM_ORDER_TYPE type, const double price, const MqlTick &tick,
                 string &problem)
  {
   long level = SymbolInfoInteger(symbol, SYMBOL_TRADE_FREEZE_LEVEL);
   if(level <= 0)
      return false;
   double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
   int digits = SymbolDigits(symbol);
   double market = IsBuyType(type) ? tick.ask : tick.bid;
   double distance = 0.0;
   switch(type)
     {
      case ORDER_TYPE_BUY_LIMIT:
         distance = tick.ask - price;
         break;
      case ORDER_TYPE_SELL_LIMIT:
         distance = price - tick.bid;
         break;
      case ORDER_TYPE_BUY_STOP:
      case ORDER_TYPE_BUY_STOP_LIMIT:
         distance = price - tick.ask;
         break;
      case ORDER_TYPE_SELL_STOP:
      case ORDER_TYPE_SELL_STOP_LIMIT:
         distance = tick.bid - price;
         break;
      default:
         return false;
     }
   if(!WithinFreeze(distance, level, point))
      return false;
   problem = StringFormat("the order's price %s is within the freeze level (%I64d points) of the price %s",
                          DoubleToString(price, digits), level, DoubleToString(market, digits));
   return true;
  }

//--- Half a point of tolerance, as in LevelFits.
bool WithinFreeze(const double distance, const long level, const double point)
  {
   return distance < level * point - point / 2;
  }

//--- One execution attempt as SignalOS sees it. The filling mode is chosen up front: a deal
//--- takes the first of the symbol's modes (DealFillingModes, the list the specs report), a
//--- pending order always rests with RETURN. Only a rejection naming the filling mode (10030)
//--- of a deal is sent once more, with the next mode and a fresh price; any other answer is
//--- the answer. SL/TP changes, modifications and removals keep what the caller set.
bool SendTrade(MqlTradeRequest &trade, MqlTradeResult &result)
  {
   bool deal = trade.action == TRADE_ACTION_DEAL;
   ENUM_ORDER_TYPE_FILLING modes[];
   int count = 0;
   if(deal)
     {
      count = DealFillingModes(trade.symbol, modes);
      trade.type_filling = modes[0];
     }
   else
      if(trade.action == TRADE_ACTION_PENDING)
         trade.type_filling = ORDER_FILLING_RETURN;
   ZeroMemory(result);
   ResetLastError();
   bool accepted = OrderSend(trade, result);
   if(!deal || result.retcode != TRADE_RETCODE_INVALID_FILL || count < 2 || !RefreshDealPrice(trade))
      return accepted && Succeeded(result.retcode);
   LogLine(StringFormat("%s: filling mode %s refused (10030), sending once more with %s",
                        trade.symbol, FillingName(modes[0]), FillingName(modes[1])));
   trade.type_filling = modes[1];
   ZeroMemory(result);
   ResetLastError();
   accepted = OrderSend(trade, result);
   return accepted && Succeeded(result.retcode);
  }

//--- The price a deal would get now: instant and request execution need it.
bool RefreshDealPrice(MqlTradeRequest &trade)
  {
   MqlTick tick;
   if(!SymbolInfoTick(trade.symbol, tick) || tick.bid <= 0 || tick.ask <= 0)
      return false;
   trade.price = trade.type == ORDER_TYPE_BUY ? tick.ask : tick.bid;
   return true;
  }

bool Succeeded(const uint retcode)
  {
   return retcode == TRADE_RETCODE_DONE || retcode == TRADE_RETCODE_PLACED || retcode == TRADE_RETCODE_DONE_PARTIAL;
  }

//--- SL and TP must lie on the right side of the reference price and at least stops_level
//--- points from it, or the server refuses them (10016). 0 means no level.
bool StopsFit(const string symbol, const bool buy, const double reference, const double sl, const double tp,
              string &problem)
  {
   double point = SymbolInfoDouble(symbol, SYMBOL_POINT);
   long level = SymbolInfoInteger(symbol, SYMBOL_TRADE_STOPS_LEVEL);
   int digits = SymbolDigits(symbol);
   if(sl > 0 && !LevelFits(buy ? reference - sl : sl - reference, level, point))
     {
      problem = StringFormat("stop loss %s is not %s %s by the stops level (%I64d points)",
                             DoubleToString(sl, digits), buy ? "below" : "above", DoubleToString(reference, digits), level);
      return false;
     }
   if(tp > 0 && !LevelFits(buy ? tp - reference : reference - tp, level, point))
     {
      problem = StringFormat("take profit %s is not %s %s by the stops level (%I64d points)",
                             DoubleToString(tp, digits), buy ? "above" : "below", DoubleToString(reference, digits), level);
      return false;
     }
   return true;
  }

//--- Half a point of tolerance absorbs the binary representation of rounded prices.
bool LevelFits(const double distance, const long level, const double point)
  {
   double tolerance = point / 2;
   return distance > tolerance && distance >= level * point - tolerance;
  }

double RoundToTick(const string symbol, const double price)
  {
   if(price <= 0)
      return 0.0;
   double tick = SymbolInfoDouble(symbol, SYMBOL_TRADE_TICK_SIZE);
   if(tick <= 0)
      tick = SymbolInfoDouble(symbol, SYMBOL_POINT);
   return NormalizeDouble(MathRound(price / tick) * tick, SymbolDigits(symbol));
  }

//--- SignalOS sends volumes on the step already; this only removes floating point noise.
double RoundVolume(const string symbol, const double volume)
  {
   double step = SymbolInfoDouble(symbol, SYMBOL_VOLUME_STEP);
   if(step <= 0)
      return NormalizeDouble(volume, 8);
   return NormalizeDouble(MathRound(volume / step) * step, 8);
  }

void Done(Outcome &outcome, const ulong ticket, const string price, const string volume)
  {
   outcome.done = true;
   outcome.ticket = ticket;
   outcome.price = price;
   outcome.volume = volume;
   outcome.retcode = 0;
   outcome.message = "";
  }

void Reject(Outcome &outcome, const uint retcode, const string detail = "")
  {
   outcome.done = false;
   outcome.ticket = 0;
   outcome.price = "null";
   outcome.volume = "null";
   outcome.retcode = retcode;
   outcome.message = RetcodeMessage(retcode) + (detail == "" ? "" : ": " + detail);
  }

//--- The terminal can stop waiting (no answer, 10012) while the server executes anyway: an
//--- order that carries the cid is there after all, and reporting it failed would be wrong.
void FailUnlessExecuted(const string cid, const MqlTradeResult &result, Outcome &outcome)
  {
   int error = GetLastError(); // before the search below sets its own
   Location found;
   if(!LocateLive(cid, found))
     {
      RejectResult(outcome, result, error);
      return;
     }
   LogLine(StringFormat("%s: the terminal reported %u, yet the order went through (%s %I64u)",
                        cid, result.retcode, found.state, found.ticket));
   Done(outcome, found.ticket, found.price, found.volume);
  }

//--- A refusal by the server or the terminal; the terminal may refuse before any server
//--- answer, with no return code, only an error.
void RejectResult(Outcome &outcome, const MqlTradeResult &result, const int error)
  {
   if(result.retcode != 0)
      Reject(outcome, result.retcode);
   else
      Reject(outcome, TRADE_RETCODE_ERROR, StringFormat("the terminal refused the request (error %d)", error));
  }

string OutcomeJson(const Outcome &outcome)
  {
   JsonObject json;
   if(outcome.done)
     {
      json.AddString("status", "done");
      json.AddUlong("ticket", outcome.ticket);
      json.AddRaw("price", outcome.price);
      json.AddRaw("volume", outcome.volume);
     }
   else
     {
      json.AddString("status", "rejected");
      json.AddLong("retcode", outcome.retcode);
      json.AddString("message", outcome.message);
     }
   return json.Json();
  }

string OutcomeSummary(const Outcome &outcome)
  {
   if(outcome.done)
      return StringFormat("done, ticket %I64u", outcome.ticket);
   return StringFormat("rejected %u (%s)", outcome.retcode, outcome.message);
  }

//+------------------------------------------------------------------+
//| Exactly once: memory and search                                  |
//+------------------------------------------------------------------+
int MemorySlot(const string cid)
  {
   for(int i = 0; i < MEMORY_SIZE; i++)
      if(g_memory[i].cid == cid)
         return i;
   return -1;
  }

void Remember(const string cid, const string op, const Outcome &outcome, const string json)
  {
   g_memory[g_memoryNext].cid = cid;
   g_memory[g_memoryNext].op = op;
   g_memory[g_memoryNext].outcome = json;
   g_memory[g_memoryNext].done = outcome.done;
   g_memory[g_memoryNext].ticket = outcome.ticket;
   g_memory[g_memoryNext].price = outcome.price;
   g_memory[g_memoryNext].volume = outcome.volume;
   g_memoryNext = (g_memoryNext + 1) % MEMORY_SIZE;
  }

void SetLocation(Location &where, const string state, const ulong ticket, const string price, const string volume)
  {
   where.state = state;
   where.ticket = ticket;
   where.price = price;
   where.volume = volume;
  }

//--- A remembered rejection never executed. A modify or cancel remembered done is a `deal`:
//--- executed, and nothing of it remains in the book to point at (docs/bridge-protocol.md,
//--- found). Any other remembered success is looked for by its cid first (the book and the
//--- history tell where it is now, under the ticket it has now); a close not found there is a
//--- deal too, and a place is told by its ticket.
bool FindInMemory(const string cid, Location &where)
  {
   int slot = MemorySlot(cid);
   if(slot < 0)
      return false;
   string op = g_memory[slot].op;
   if(!g_memory[slot].done)
      SetLocation(where, "absent", 0, "null", "null");
   else
      if(op == "modify" || op == "cancel")
         SetLocation(where, "deal", g_memory[slot].ticket, g_memory[slot].price, g_memory[slot].volume);
      else
         if(!LocateLive(cid, where))
            SetLocation(where, op == "close" ? "deal" : StateOfTicket(g_memory[slot].ticket), g_memory[slot].ticket,
                        g_memory[slot].price, g_memory[slot].volume);
   return true;
  }

string StateOfTicket(const ulong ticket)
  {
   if(PositionSelectByTicket(ticket))
      return "position";
   if(OrderSelect(ticket))
      return "order";
   if(HistoryOrderSelect(ticket) && IsPendingType((ENUM_ORDER_TYPE)HistoryOrderGetInteger(ticket, ORDER_TYPE)))
     {
      ENUM_ORDER_STATE state = (ENUM_ORDER_STATE)HistoryOrderGetInteger(ticket, ORDER_STATE);
      double unfilled = HistoryOrderGetDouble(ticket, ORDER_VOLUME_CURRENT);
      double initial = HistoryOrderGetDouble(ticket, ORDER_VOLUME_INITIAL);
      if((state == ORDER_STATE_CANCELED || state == ORDER_STATE_EXPIRED || state == ORDER_STATE_REJECTED)
         && initial - unfilled <= VOLUME_EPSILON)
         return "cancelled";
     }
   return "deal"; // executed, and closed or removed since
  }

//--- The cid is the order comment: look for it in the open positions, the pending orders and
//--- the recent history.
bool LocateLive(const string cid, Location &where)
  {
   return FindOpenPosition(cid, where) || FindPendingOrder(cid, where) || FindInHistory(cid, where);
  }

bool FindOpenPosition(const string cid, Location &where)
  {
   for(int i = PositionsTotal() - 1; i >= 0; i--)
     {
      ulong ticket = PositionGetTicket(i);
      if(ticket == 0 || PositionGetString(POSITION_COMMENT) != cid)
         continue;
      SetLocation(where, "position", ticket,
                  PriceText(SymbolDigits(PositionGetString(POSITION_SYMBOL)), PositionGetDouble(POSITION_PRICE_OPEN)),
                  VolumeText(PositionGetDouble(POSITION_VOLUME)));
      return true;
     }
   return false;
  }

bool FindPendingOrder(const string cid, Location &where)
  {
   for(int i = OrdersTotal() - 1; i >= 0; i--)
     {
      ulong ticket = OrderGetTicket(i);
      if(ticket == 0 || OrderGetString(ORDER_COMMENT) != cid
         || !IsPendingType((ENUM_ORDER_TYPE)OrderGetInteger(ORDER_TYPE)))
         continue;
      SetLocation(where, "order", ticket,
                  PriceText(SymbolDigits(OrderGetString(ORDER_SYMBOL)), OrderGetDouble(ORDER_PRICE_OPEN)),
                  VolumeText(OrderGetDouble(ORDER_VOLUME_CURRENT)));
      return true;
     }
   return false;
  }

//--- Orders keep the comment they were sent with; deals usually copy it, but not at every
//--- broker, so the orders are searched first.
bool FindInHistory(const string cid, Location &where)
  {
   datetime now = TimeTradeServer();
   if(!HistorySelect(now - HISTORY_DAYS * 86400, now + 86400))
      return false;
   for(int i = HistoryOrdersTotal() - 1; i >= 0; i--)
     {
      ulong order = HistoryOrderGetTicket(i);
      if(order > 0 && HistoryOrderGetString(order, ORDER_COMMENT) == cid && DescribeHistoryOrder(order, where))
         return true;
     }
   for(int i = HistoryDealsTotal() - 1; i >= 0; i--)
     {
      ulong deal = HistoryDealGetTicket(i);
      if(deal > 0 && HistoryDealGetString(deal, DEAL_COMMENT) == cid)
        {
         DescribeDeal(deal, where);
         return true;
        }
     }
   return false;
  }

//--- A filled order (wholly or in part) is described by its deal: its position, or a deal
//--- once that closed. A pending order that left the book unfilled (cancelled, expired, or
//--- rejected at activation) is `cancelled`, under the order's ticket. A market order that
//--- never filled was not executed.
bool DescribeHistoryOrder(const ulong order, Location &where)
  {
   ENUM_ORDER_STATE state = (ENUM_ORDER_STATE)HistoryOrderGetInteger(order, ORDER_STATE);
   ENUM_ORDER_TYPE type = (ENUM_ORDER_TYPE)HistoryOrderGetInteger(order, ORDER_TYPE);
   int digits = SymbolDigits(HistoryOrderGetString(order, ORDER_SYMBOL));
   double initial = HistoryOrderGetDouble(order, ORDER_VOLUME_INITIAL);
   double filled = initial - HistoryOrderGetDouble(order, ORDER_VOLUME_CURRENT);
   string price = PriceText(digits, HistoryOrderGetDouble(order, ORDER_PRICE_OPEN));
   long identifier = HistoryOrderGetInteger(order, ORDER_POSITION_ID);
   if(state == ORDER_STATE_FILLED || state == ORDER_STATE_PARTIAL || filled > VOLUME_EPSILON)
     {
      ulong deal = DealOfOrder(order);
      if(deal > 0)
        {
         DescribeDeal(deal, where);
         return true;
        }
      ulong open = SelectPositionById(identifier);
      if(open > 0)
         SetLocation(where, "position", open, price, VolumeText(filled));
      else
         SetLocation(where, "deal", identifier > 0 ? PositionTicketOf(identifier) : order, price, VolumeText(filled));
      return true;
     }
   if(IsPendingType(type)
      && (state == ORDER_STATE_CANCELED || state == ORDER_STATE_EXPIRED || state == ORDER_STATE_REJECTED))
     {
      SetLocation(where, "cancelled", order, price, VolumeText(initial));
      return true;
     }
   return false;
  }

//--- Within the history chosen by HistorySelect.
ulong DealOfOrder(const ulong order)
  {
   for(int i = HistoryDealsTotal() - 1; i >= 0; i--)
     {
      ulong deal = HistoryDealGetTicket(i);
      if(deal > 0 && (ulong)HistoryDealGetInteger(deal, DEAL_ORDER) == order)
         return deal;
     }
   return 0;
  }

//--- A deal that opened a position still open points at the position; any other deal is
//--- history: the position it belonged to, at the deal's price and volume. Either way the
//--- position is named by its POSITION_TICKET, found through its POSITION_IDENTIFIER.
void DescribeDeal(const ulong deal, Location &where)
  {
   long identifier = HistoryDealGetInteger(deal, DEAL_POSITION_ID);
   ENUM_DEAL_ENTRY entry = (ENUM_DEAL_ENTRY)HistoryDealGetInteger(deal, DEAL_ENTRY);
   string price = PriceText(SymbolDigits(HistoryDealGetString(deal, DEAL_SYMBOL)), HistoryDealGetDouble(deal, DEAL_PRICE));
   string volume = VolumeText(HistoryDealGetDouble(deal, DEAL_VOLUME));
   ulong open = SelectPositionById(identifier);
   bool opening = entry == DEAL_ENTRY_IN || entry == DEAL_ENTRY_INOUT;
   if(opening && open > 0)
      SetLocation(where, "position", open, price, volume);
   else
      SetLocation(where, "deal", open > 0 ? open : PositionTicketOf(identifier), price, volume);
  }

//+------------------------------------------------------------------+
//| Authentication: SHA-256, HMAC-SHA256, nonces                     |
//+------------------------------------------------------------------+
//--- A string's UTF-8 bytes, without the terminating zero StringToCharArray appends.
void Utf8Bytes(const string text, uchar &out[])
  {
   ArrayFree(out);
   StringToCharArray(text, out, 0, WHOLE_ARRAY, CP_UTF8);
   int size = ArraySize(out);
   if(size > 0 && out[size - 1] == 0)
      ArrayResize(out, size - 1);
  }

void FillBytes(uchar &out[], const uchar value, const int count)
  {
   ArrayResize(out, count);
   if(count > 0)
      ArrayInitialize(out, value);
  }

//--- The terminal's SHA-256. A hash takes no key: the key array stays empty.
bool Sha256(const uchar &data[], uchar &digest[])
  {
   uchar noKey[];
   ArrayFree(digest);
   ResetLastError();
   int written = CryptEncode(CRYPT_HASH_SHA256, data, noKey, digest);
   return written == SHA256_BYTES && ArraySize(digest) == SHA256_BYTES;
  }

//--- HMAC-SHA256 as RFC 2104 defines it: H((K' ^ opad) || H((K' ^ ipad) || message)), where K'
//--- is the key zero-padded to the 64-byte block, or its hash padded when it is longer.
bool HmacSha256(const uchar &key[], const uchar &message[], uchar &mac[])
  {
   uchar block[];
   FillBytes(block, (uchar)0, HMAC_BLOCK_BYTES);
   int keyLength = ArraySize(key);
   if(keyLength > HMAC_BLOCK_BYTES)
     {
      uchar hashedKey[];
      if(!Sha256(key, hashedKey))
         return false;
      ArrayCopy(block, hashedKey, 0, 0, SHA256_BYTES);
     }
   else
      if(keyLength > 0)
         ArrayCopy(block, key, 0, 0, keyLength);
   int messageLength = ArraySize(message);
   uchar inner[];
   ArrayResize(inner, HMAC_BLOCK_BYTES + messageLength);
   for(int i = 0; i < HMAC_BLOCK_BYTES; i++)
      inner[i] = (uchar)(block[i] ^ 0x36);
   if(messageLength > 0)
      ArrayCopy(inner, message, HMAC_BLOCK_BYTES, 0, messageLength);
   uchar innerHash[];
   if(!Sha256(inner, innerHash))
      return false;
   uchar outer[];
   ArrayResize(outer, HMAC_BLOCK_BYTES + SHA256_BYTES);
   for(int i = 0; i < HMAC_BLOCK_BYTES; i++)
      outer[i] = (uchar)(block[i] ^ 0x5c);
   ArrayCopy(outer, innerHash, HMAC_BLOCK_BYTES, 0, SHA256_BYTES);
   return Sha256(outer, mac);
  }

//--- The first `count` bytes as lower-case hex.
string HexOf(const uchar &bytes[], const int count)
  {
   string hex = "";
   int n = MathMin(count, ArraySize(bytes));
   for(int i = 0; i < n; i++)
      hex += StringFormat("%02x", (int)bytes[i]);
   return hex;
  }

//--- A proof: HMAC-SHA256 of an ASCII message, as 64 lower-case hex digits.
bool HmacSha256Hex(const uchar &key[], const string message, string &hex)
  {
   uchar data[];
   uchar mac[];
   Utf8Bytes(message, data);
   hex = "";
   if(!HmacSha256(key, data, mac))
      return false;
   hex = HexOf(mac, SHA256_BYTES);
   return true;
  }

//--- Compares every character whatever the first difference, so the time taken tells an
//--- impostor nothing about how much of its proof was right.
bool ConstantTimeEquals(const string received, const string expected)
  {
   int length = StringLen(expected);
   int receivedLength = StringLen(received);
   int difference = receivedLength ^ length;
   for(int i = 0; i < length; i++)
     {
      ushort mine = StringGetCharacter(expected, i);
      ushort theirs = i < receivedLength ? StringGetCharacter(received, i) : (ushort)0;
      difference |= (int)(mine ^ theirs);
     }
   return difference == 0;
  }

bool IsLowerHex(const string text, const int length)
  {
   if(StringLen(text) != length)
      return false;
   for(int i = 0; i < length; i++)
     {
      ushort c = StringGetCharacter(text, i);
      if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
         return false;
     }
   return true;
  }

//--- 16 bytes that never repeat: SHA-256 over what varies between calls and terminals.
string NewNonce(void)
  {
   g_nonceCounter++;
   string seed = StringFormat("%I64u|%I64d|%d|%d|%d|%d|%I64d|%I64d|%I64u|%I64u",
                              GetMicrosecondCount(), (long)TimeLocal(), MathRand(), MathRand(), MathRand(), MathRand(),
                              AccountInfoInteger(ACCOUNT_LOGIN), ChartID(), g_nonceCounter, GetTickCount64());
   uchar data[];
   uchar digest[];
   Utf8Bytes(seed, data);
   if(!Sha256(data, digest))
     {
      LogLine(StringFormat("cannot hash a nonce (error %d): the handshake will fail", GetLastError()));
      return "";
     }
   return HexOf(digest, NONCE_BYTES);
  }

bool HmacCaseMatches(const uchar &key[], const uchar &data[], const string expected)
  {
   uchar mac[];
   return HmacSha256(key, data, mac) && HexOf(mac, SHA256_BYTES) == expected;
  }

//--- RFC 4231 test cases 1, 2, 3 and 6: the terminal's SHA-256 and this HMAC give the
//--- standard's results, or the EA does not start.
bool HmacSelfTest(void)
  {
   uchar key[];
   uchar data[];
   FillBytes(key, (uchar)0x0b, 20);
   Utf8Bytes("Hi There", data);
   if(!HmacCaseMatches(key, data, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"))
      return false;
   Utf8Bytes("Jefe", key);
   Utf8Bytes("what do ya want for nothing?", data);
   if(!HmacCaseMatches(key, data, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
      return false;
   FillBytes(key, (uchar)0xaa, 20);
   FillBytes(data, (uchar)0xdd, 50);
   if(!HmacCaseMatches(key, data, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"))
      return false;
   FillBytes(key, (uchar)0xaa, 131);
   Utf8Bytes("Test Using Larger Than Block-Size Key - Hash Key First", data);
   if(!HmacCaseMatches(key, data, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"))
      return false;
   return true;
  }

//+------------------------------------------------------------------+
//| Helpers                                                          |
//+------------------------------------------------------------------+
bool IsPendingType(const ENUM_ORDER_TYPE type)
  {
   return type == ORDER_TYPE_BUY_LIMIT || type == ORDER_TYPE_SELL_LIMIT
          || type == ORDER_TYPE_BUY_STOP || type == ORDER_TYPE_SELL_STOP
          || type == ORDER_TYPE_BUY_STOP_LIMIT || type == ORDER_TYPE_SELL_STOP_LIMIT;
  }

bool IsBuyType(const ENUM_ORDER_TYPE type)
  {
   return type == ORDER_TYPE_BUY || type == ORDER_TYPE_BUY_LIMIT
          || type == ORDER_TYPE_BUY_STOP || type == ORDER_TYPE_BUY_STOP_LIMIT;
  }

int SymbolDigits(const string symbol)
  {
   return (int)SymbolInfoInteger(symbol, SYMBOL_DIGITS);
  }

int MoneyDigits(void)
  {
   long digits = AccountInfoInteger(ACCOUNT_CURRENCY_DIGITS);
   return digits >= 0 && digits <= 8 ? (int)digits : 2;
  }

string PriceText(const int digits, const double price)
  {
   return JsonNumber(price, digits);
  }

//--- MT5 writes 0 for a stop loss or take profit that is not set; the wire writes null.
string LevelText(const int digits, const double level)
  {
   return level > 0 ? JsonNumber(level, digits) : "null";
  }

string VolumeText(const double volume)
  {
   return JsonNumber(volume, 8);
  }

string MoneyText(const double amount)
  {
   return JsonNumber(amount, MoneyDigits());
  }

//--- Sizes and rates that may have more decimals than the symbol's prices.
string FineText(const double value)
  {
   return JsonNumber(value, 12);
  }

//--- MT5 stamps ticks, deals and orders in trade server time; the wire speaks UTC.
long ServerToUtcMs(const long serverMs)
  {
   return serverMs - ServerOffsetSeconds() * 1000;
  }

//--- Trade servers keep whole quarter hours from UTC; rounding absorbs the clocks' jitter.
long ServerOffsetSeconds(void)
  {
   long difference = (long)TimeTradeServer() - (long)TimeGMT();
   return (long)MathRound(difference / 900.0) * 900;
  }

long UtcNowMs(void)
  {
   return (long)TimeGMT() * 1000;
  }

string Preview(const string line)
  {
   if(StringLen(line) <= PREVIEW_CHARS)
      return line;
   return StringSubstr(line, 0, PREVIEW_CHARS) + "...";
  }

void LogLine(const string text)
  {
   Print(EA_NAME, ": ", text);
  }

//--- The words SignalOS shows on an order for MT5's TRADE_RETCODE_* (docs/bridge-protocol.md).
string RetcodeMessage(const uint retcode)
  {
   switch(retcode)
     {
      case 10004:
         return "requote";
      case 10006:
         return "request rejected";
      case 10007:
         return "request canceled by trader";
      case 10008:
         return "order placed";
      case 10009:
         return "request completed";
      case 10010:
         return "only part of the request was completed";
      case 10011:
         return "request processing error";
      case 10012:
         return "request canceled by timeout";
      case 10013:
         return "invalid request";
      case 10014:
         return "invalid volume";
      case 10015:
         return "invalid price";
      case 10016:
         return "invalid stops (SL/TP too close to the price or on the wrong side)";
      case 10017:
         return "trading disabled for this account or symbol";
      case 10018:
         return "market closed";
      case 10019:
         return "not enough money";
      case 10020:
         return "prices changed";
      case 10021:
         return "no quotes to process the request";
      case 10022:
         return "invalid order expiration";
      case 10023:
         return "order state changed";
      case 10024:
         return "too many requests";
      case 10025:
         return "no changes in request";
      case 10026:
         return "autotrading disabled by the server";
      case 10027:
         return "autotrading disabled in the terminal (press Algo Trading)";
      case 10028:
         return "request locked for processing";
      case 10029:
         return "order or position frozen (too close to the price: freeze level)";
      case 10030:
         return "unsupported filling mode";
      case 10031:
         return "no connection with the trade server";
      case 10032:
         return "allowed for live accounts only";
      case 10033:
         return "pending orders limit reached";
      case 10034:
         return "volume limit for the symbol reached";
      case 10035:
         return "invalid or prohibited order type";
      case 10036:
         return "position already closed";
      case 10038:
         return "close volume exceeds the position's volume";
      case 10039:
         return "a close order already exists for this position";
      case 10040:
         return "positions limit reached";
      case 10041:
         return "pending order activation rejected, order canceled";
      case 10042:
         return "only long positions allowed";
      case 10043:
         return "only short positions allowed";
      case 10044:
         return "only position closing allowed";
      case 10045:
         return "position closing allowed only by FIFO rule";
      case 10046:
         return "opening an opposite position is prohibited (hedging prohibited)";
      default:
         return "unknown return code";
     }
  }
//+------------------------------------------------------------------+
