#include "protocoljson.h"

#include "protocol.h"
#include "utf16scan.h"

#include <QByteArray>

#include <cstring>

namespace Protocol {

namespace {

constexpr bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

constexpr int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

// A string with escapes as Qt 6.4's parser reads it: the JSON escapes, \uXXXX as one UTF-16 unit (two
// such escapes can make a surrogate pair), and any other escaped ASCII character as itself ("\a" is "a").
// scanString() has checked every escape.
void unescape(const char16_t *in, const char16_t *end, QString *out)
{
    out->resize(end - in);
    char16_t *const start = reinterpret_cast<char16_t *>(out->data());
    char16_t *o = start;
    while (in < end) {
        char16_t c = *in++;
        if (c == u'\\') {
            c = *in++;
            switch (c) {
            case u'b':
                c = 0x8;
                break;
            case u'f':
                c = 0xc;
                break;
            case u'n':
                c = 0xa;
                break;
            case u'r':
                c = 0xd;
                break;
            case u't':
                c = 0x9;
                break;
            case u'u':
                c = char16_t(hexValue(in[0]) << 12 | hexValue(in[1]) << 8 | hexValue(in[2]) << 4 | hexValue(in[3]));
                in += 4;
                break;
            default: // '"', '\\', '/' and any other ASCII character stand for themselves
                break;
            }
        }
        *o++ = c;
    }
    out->truncate(o - start);
}

} // namespace

// The one byte after a backslash that escapes it, when it is not ASCII (in a string; elsewhere the
// backslash is an error anyway): the start of the first, or nullptr.
static const char *rawEscapedByte(const char *p, const char *end)
{
    while (p < end && (p = static_cast<const char *>(std::memchr(p, '\\', size_t(end - p))))) {
        const char *const run = p;
        while (p < end && *p == '\\')
            ++p;
        if ((p - run) % 2 == 1 && p < end && uchar(*p) >= 0x80)
            return p;
    }
    return nullptr;
}

std::optional<QString> jsonBodyText(QByteArrayView body, bool replaceInvalid)
{
    const char *from = body.data();
    const char *const end = from + body.size();
    const char *raw = rawEscapedByte(from, end);
    if (!raw) {
        if (replaceInvalid || QUtf8StringView(body).isValidUtf8())
            return QString::fromUtf8(body);
        return std::nullopt;
    }
    // Qt read such a byte as the character of the same value ("\" 0x82 is U+0082); any other invalid
    // UTF-8 fails, and read again with U+FFFD in its place the escaped byte fails too.
    QString text;
    text.reserve(body.size());
    for (; raw; raw = rawEscapedByte(from, end)) {
        const QByteArrayView piece(from, raw - from);
        if (!QUtf8StringView(piece).isValidUtf8())
            return std::nullopt;
        text.append(QString::fromUtf8(piece)).append(QChar(uchar(*raw)));
        from = raw + 1;
    }
    const QByteArrayView rest(from, end - from);
    if (!QUtf8StringView(rest).isValidUtf8())
        return std::nullopt;
    return text.append(QString::fromUtf8(rest));
}

JsonReader::JsonReader(QStringView json, Dialect dialect)
    : m_begin(json.utf16())
    , m_pos(m_begin)
    , m_end(m_begin + json.size())
    , m_dialect(dialect)
{
    Q_ASSERT(json.isValidUtf16());
}

bool JsonReader::fail(Error error)
{
    if (m_error == Error::None) {
        m_error = error;
        m_errorOffset = m_pos - m_begin;
    }
    return false;
}

bool JsonReader::skip()
{
    switch (peek()) {
    case Type::Invalid:
        return fail(m_pos < m_end && (*m_pos == u']' || *m_pos == u'}') ? Error::MissingObject : Error::IllegalValue);
    case Type::Null:
        return scanWord(u"null");
    case Type::Bool:
        return scanWord(*m_pos == u't' ? QStringView(u"true") : QStringView(u"false"));
    case Type::Number: {
        double ignored = 0;
        return scanNumber(&ignored);
    }
    case Type::String: {
        StringSpan ignored;
        return scanString(&ignored);
    }
    case Type::Array:
        enterArray();
        while (nextElement()) {
            if (!skip())
                return false;
        }
        return !failed();
    case Type::Object: {
        enterObject();
        QStringView key;
        while (nextKey(&key)) {
            if (!skip())
                return false;
        }
        return !failed();
    }
    }
    return false;
}

bool JsonReader::scanWord(QStringView word)
{
    if (m_end - m_pos < word.size() || QStringView(m_pos, word.size()) != word)
        return fail(Error::IllegalValue);
    m_pos += word.size();
    return true;
}

// Qt's grammar: [-] (0 | digits) [. digits] [(e|E) [+|-] digits], every part optional, then
// QByteArray::toLongLong() or toDouble() decide. Short integers, nearly every number on the wire, are
// read here; anything else goes through those same functions, so the same texts are refused (to Qt
// ".5" and "5." are numbers, "1e-400" is none: it underflows) and the same doubles come out.
bool JsonReader::scanNumber(double *value)
{
    const char16_t *const start = m_pos;
    const char16_t *p = m_pos;
    if (p < m_end && *p == u'-')
        ++p;
    const char16_t *const digits = p;
    if (p < m_end && *p == u'0') {
        ++p;
    } else {
        while (p < m_end && isDigit(*p))
            ++p;
    }
    const qsizetype intDigits = p - digits;
    bool integer = true;
    if (p < m_end && *p == u'.') {
        integer = false;
        ++p;
        while (p < m_end && isDigit(*p))
            ++p;
    }
    if (p < m_end && (*p == u'e' || *p == u'E')) {
        integer = false;
        ++p;
        if (p < m_end && (*p == u'-' || *p == u'+'))
            ++p;
        while (p < m_end && isDigit(*p))
            ++p;
    }
    if (integer && intDigits > 0 && intDigits <= 18) {
        qint64 n = 0;
        for (const char16_t *d = digits; d < p; ++d)
            n = n * 10 + (*d - u'0');
        *value = double(*start == u'-' ? -n : n);
        m_pos = p;
        return true;
    }
    QVarLengthArray<char, 64> latin1; // the scan took ASCII only
    for (const char16_t *c = start; c < p; ++c)
        latin1.append(char(*c));
    const QByteArray number = QByteArray::fromRawData(latin1.data(), latin1.size());
    bool ok = false;
    if (integer) {
        const qint64 n = number.toLongLong(&ok);
        if (ok)
            *value = double(n);
    }
    if (!ok)
        *value = number.toDouble(&ok);
    if (!ok)
        return fail(Error::IllegalNumber);
    m_pos = p;
    return true;
}

bool JsonReader::scanString(StringSpan *span)
{
    const char16_t *const begin = m_pos + 1;
    const char16_t *p = Utf16Scan::findQuoteOrBackslash(begin, m_end);
    bool escaped = false;
    while (p < m_end && *p == u'\\') {
        escaped = true;
        if (m_end - p < 2) {
            p = m_end; // a backslash at the very end: the string never closes
            break;
        }
        if (p[1] == u'u') {
            if (m_end - p < 6 || hexValue(p[2]) < 0 || hexValue(p[3]) < 0 || hexValue(p[4]) < 0 || hexValue(p[5]) < 0) {
                m_pos = p;
                return fail(Error::IllegalEscape);
            }
            p += 6;
        } else if (p[1] >= 0x80 && (m_dialect != Dialect::Body || p[1] > 0xFF)) {
            // Qt takes the first byte of the escaped character's UTF-8 as the escape and fails on the rest.
            // In a body from jsonBodyText() U+0080..U+00FF after a backslash was that one byte, and is kept.
            m_pos = p;
            return fail(Error::IllegalEscape);
        } else {
            p += 2;
        }
        p = Utf16Scan::findQuoteOrBackslash(p, m_end);
    }
    if (p >= m_end)
        return fail(Error::UnterminatedString);
    *span = StringSpan {begin, p, escaped};
    m_pos = p + 1;
    return true;
}

bool JsonReader::readBool(bool *value)
{
    if (peek() != Type::Bool)
        return fail(Error::WrongType);
    *value = *m_pos == u't';
    return scanWord(*value ? QStringView(u"true") : QStringView(u"false"));
}

bool JsonReader::readNumber(double *value)
{
    if (peek() != Type::Number)
        return fail(Error::WrongType);
    return scanNumber(value);
}

// Qt keeps a string without escapes as UTF-8 and QJsonValue::toString() reads it with QString::fromUtf8,
// which drops a byte order mark at its start: the value "\xEF\xBB\xBF2026-11-23T10:00:05Z" reads as a
// valid timestamp. A string with an escape, and a key, keep it.
QStringView JsonReader::valueText(const StringSpan &span)
{
    const QStringView text(span.begin, span.end - span.begin);
    return !text.isEmpty() && text.front() == QChar(0xFEFF) ? text.mid(1) : text;
}

bool JsonReader::readString(QString *value)
{
    if (peek() != Type::String)
        return fail(Error::WrongType);
    StringSpan span;
    if (!scanString(&span))
        return false;
    if (span.escaped)
        unescape(span.begin, span.end, value);
    else
        *value = valueText(span).toString();
    return true;
}

bool JsonReader::readStringView(QStringView *value)
{
    if (peek() != Type::String)
        return fail(Error::WrongType);
    StringSpan span;
    if (!scanString(&span))
        return false;
    if (span.escaped) {
        unescape(span.begin, span.end, &m_scratch);
        *value = m_scratch;
    } else {
        *value = valueText(span);
    }
    return true;
}

bool JsonReader::readStringOrNull(QString *value)
{
    if (peek() == Type::String)
        return readString(value);
    *value = QString();
    return skip();
}

bool JsonReader::readNumberOr(double *value, double fallback)
{
    if (peek() == Type::Number)
        return readNumber(value);
    *value = fallback;
    return skip();
}

bool JsonReader::push(bool object)
{
    // Qt refuses a 1025th level; a packet's payload is parsed inside the [ ] that lets scalars parse.
    const qsizetype maxDepth = m_dialect == Dialect::Packet ? 1023 : 1024;
    if (m_levels.size() >= maxDepth)
        return fail(Error::DeepNesting);
    Level level;
    level.object = object;
    m_levels.append(level);
    ++m_pos;
    return true;
}

bool JsonReader::enterObject()
{
    if (peek() != Type::Object)
        return fail(Error::WrongType);
    return push(true);
}

bool JsonReader::enterArray()
{
    if (peek() != Type::Array)
        return fail(Error::WrongType);
    return push(false);
}

bool JsonReader::nextKey(QStringView *key)
{
    if (failed())
        return false;
    Q_ASSERT(!m_levels.isEmpty() && m_levels.last().object);
    Level &level = m_levels.last();
    skipSpace();
    if (m_pos < m_end && *m_pos == u'}') {
        ++m_pos;
        closeObject();
        return false;
    }
    if (!level.first) {
        if (m_pos == m_end || *m_pos != u',')
            return fail(Error::UnterminatedObject);
        ++m_pos;
        skipSpace();
        if (m_pos < m_end && *m_pos == u'}')
            return fail(Error::MissingObject);
    }
    level.first = false;
    if (m_pos == m_end || *m_pos != u'"')
        return fail(Error::UnterminatedObject);
    StringSpan span;
    if (!scanString(&span))
        return false;
    skipSpace();
    if (m_pos == m_end || *m_pos != u':')
        return fail(Error::MissingNameSeparator);
    ++m_pos;
    skipSpace();
    if (m_pos == m_end)
        return fail(Error::UnterminatedObject);
    return noteKey(span, key);
}

bool JsonReader::noteKey(const StringSpan &span, QStringView *key)
{
    const bool rules = m_dialect == Dialect::Packet;
    if (!span.escaped) {
        *key = QStringView(span.begin, span.end - span.begin);
        if (rules && Utf16Scan::hasHighUnit(*key)) {
            ++m_levels.last().rawHighKeys;
            // Qt's keys() drops a U+FEFF at the start of a raw key (see valueText()), so such a key can
            // repeat another one to the old check: Qt's parser decides.
            if (key->front() == QChar(0xFEFF))
                m_keysInDoubt = true;
        }
        return true;
    }
    unescape(span.begin, span.end, &m_scratch);
    *key = m_scratch;
    if (rules && Utf16Scan::hasHighUnit(m_scratch)) {
        ++m_levels.last().escapedHighKeys;
        // Only an escape can make a lone surrogate: the text itself is valid UTF-16. Such a key is refused
        // only where it stays in the value Qt builds, and a later repeat of a key above it can drop it.
        if (!QStringView(m_scratch).isValidUtf16())
            m_keysInDoubt = true;
    }
    return true;
}

// A repeat Qt merges is no repeat to anyone (the last value wins, as in JSON.parse); one it keeps twice is
// refused. Keeping one twice needs a raw key and two escaped ones, all with units >= U+D800 (a raw key
// between two escaped ones whose orders disagree); an object with such keys, like one with a lone
// surrogate in a key, is left to Qt's parser in finish(). Servers never send them: JavaScript's
// JSON.stringify() escapes no key but one with a lone surrogate.
void JsonReader::closeObject()
{
    const Level &level = m_levels.last();
    if (level.rawHighKeys > 0 && level.escapedHighKeys > 1)
        m_keysInDoubt = true;
    m_levels.removeLast();
}

bool JsonReader::nextElement()
{
    if (failed())
        return false;
    Q_ASSERT(!m_levels.isEmpty() && !m_levels.last().object);
    Level &level = m_levels.last();
    skipSpace();
    if (m_pos < m_end && *m_pos == u']') {
        ++m_pos;
        m_levels.removeLast();
        return false;
    }
    if (!level.first) {
        if (m_pos == m_end)
            return fail(Error::UnterminatedArray);
        if (*m_pos != u',')
            return fail(Error::MissingValueSeparator);
        ++m_pos;
        skipSpace();
    }
    level.first = false;
    if (m_pos == m_end)
        return fail(Error::UnterminatedArray);
    return true;
}

bool JsonReader::finish()
{
    if (failed())
        return false;
    if (!m_levels.isEmpty())
        return fail(m_levels.last().object ? Error::UnterminatedObject : Error::UnterminatedArray);
    skipSpace();
    if (m_pos != m_end)
        return fail(Error::GarbageAtEnd);
    if (m_keysInDoubt && !parseJsonValue(QStringView(m_begin, m_end - m_begin))) {
        m_pos = m_begin;
        return fail(Error::KeyRules);
    }
    return true;
}

QString JsonReader::errorString() const
{
    const char *what = "no error";
    switch (m_error) {
    case Error::None:
        break;
    case Error::IllegalValue:
        what = "illegal value";
        break;
    case Error::IllegalNumber:
        what = "illegal number";
        break;
    case Error::IllegalEscape:
        what = "invalid escape sequence";
        break;
    case Error::UnterminatedString:
        what = "unterminated string";
        break;
    case Error::UnterminatedArray:
        what = "unterminated array";
        break;
    case Error::UnterminatedObject:
        what = "unterminated object";
        break;
    case Error::MissingNameSeparator:
        what = "missing name separator";
        break;
    case Error::MissingValueSeparator:
        what = "missing value separator";
        break;
    case Error::MissingObject:
        what = "a value is missing after a comma";
        break;
    case Error::DeepNesting:
        what = "too deeply nested document";
        break;
    case Error::GarbageAtEnd:
        what = "garbage at the end of the document";
        break;
    case Error::KeyRules:
        what = "an object repeats a key or has a key with a lone surrogate";
        break;
    case Error::WrongType:
        what = "a value of another type was expected";
        break;
    }
    return QStringLiteral("%1 at character %2").arg(QLatin1StringView(what)).arg(m_errorOffset);
}

} // namespace Protocol
