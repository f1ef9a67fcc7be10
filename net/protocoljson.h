// JsonReader: reads JSON text straight into the caller's values, as simdjson's on-demand API does: the
// caller walks the objects and arrays it needs, skips the rest, and no tree is built. It accepts and
// refuses exactly what the codec did with QJsonDocument (Qt 6.4's parser, quirks included, and the
// codec's key rules), so decoders can leave QJsonDocument without changing what they take;
// tests/fuzz/fuzz_decoder checks that against the old decoders.
#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringView>
#include <QVarLengthArray>

#include <optional>

namespace Protocol {

class JsonReader
{
public:
    enum class Dialect : quint8 {
        // A Socket.IO or open packet's payload: Qt's parser on the text wrapped in [ ] (so scalars
        // parse, and one level of nesting less is allowed), and an object that repeats a key Qt does
        // not merge, or has a key with a lone surrogate, is refused (see protocol.cpp). Where keys could
        // be such, parseJsonValue() itself gives the verdict in finish().
        Packet,
        // A REST body as QJsonDocument::fromJson() takes it: one object or array, no key rules. Its text
        // comes from jsonBodyText().
        Body,
    };
    enum class Type : quint8 { Invalid, Null, Bool, Number, String, Array, Object };

    // `json` must be valid UTF-16 (frames are checked first; QString::fromUtf8 never makes invalid text).
    explicit JsonReader(QStringView json, Dialect dialect = Dialect::Packet);

    // The type of the next value, whitespace skipped; nothing is consumed. Invalid: no value starts here.
    Type peek()
    {
        if (failed())
            return Type::Invalid;
        skipSpace();
        if (m_pos == m_end)
            return Type::Invalid;
        switch (*m_pos) {
        case u'n':
            return Type::Null;
        case u't':
        case u'f':
            return Type::Bool;
        case u'"':
            return Type::String;
        case u'[':
            return Type::Array;
        case u'{':
            return Type::Object;
        case u',':
        case u']':
        case u'}':
            return Type::Invalid;
        default: // Qt reads anything else as a number, and refuses what is none
            return Type::Number;
        }
    }
    // Each read consumes one value and returns false when it is malformed or of another type; the
    // reader is then failed and every later call returns false.
    bool skip();
    bool readBool(bool *value);
    bool readNumber(double *value);
    bool readString(QString *value);
    // The string as a view valid until the next read: no copy unless it has escapes.
    bool readStringView(QStringView *value);
    // As QJsonValue::toString() and toDouble(fallback) read a value: one of another type is skipped and
    // gives a null string or the fallback.
    bool readStringOrNull(QString *value);
    bool readNumberOr(double *value, double fallback);

    // Objects: enterObject(), then nextKey() before each member's value (which must be read or
    // skipped) until it returns false at the closing brace.
    bool enterObject();
    bool nextKey(QStringView *key);
    // An object read member by member: `member(key)` reads the value, or returns false to have it
    // skipped. A value of another type is skipped: false then.
    template <typename Member> bool readObject(Member &&member)
    {
        if (peek() != Type::Object)
            return skip() && false;
        enterObject();
        for (QStringView key; nextKey(&key);) {
            if (!member(key))
                skip();
        }
        return true;
    }
    // Arrays: enterArray(), then nextElement() before each element until it returns false.
    bool enterArray();
    bool nextElement();

    // After the one top-level value: true when only whitespace follows and nothing failed.
    bool finish();
    bool failed() const { return m_error != Error::None; }
    QString errorString() const;

private:
    enum class Error : quint8 {
        None,
        IllegalValue,
        IllegalNumber,
        IllegalEscape,
        UnterminatedString,
        UnterminatedArray,
        UnterminatedObject,
        MissingNameSeparator,
        MissingValueSeparator,
        MissingObject,
        DeepNesting,
        GarbageAtEnd,
        KeyRules,
        WrongType,
    };
    struct Level
    {
        // Keys with a unit >= U+D800, written raw and with escapes: see closeObject().
        int rawHighKeys = 0;
        int escapedHighKeys = 0;
        bool object = false;
        bool first = true;
    };
    struct StringSpan
    {
        const char16_t *begin = nullptr;
        const char16_t *end = nullptr;
        bool escaped = false;
    };

    bool fail(Error error);
    // Inline: it runs before every token, and most tokens have no space before them.
    void skipSpace()
    {
        while (m_pos < m_end && (*m_pos == u' ' || *m_pos == u'\t' || *m_pos == u'\n' || *m_pos == u'\r'))
            ++m_pos;
    }
    bool scanString(StringSpan *span);
    // An unescaped string value as QJsonValue::toString() gives it.
    static QStringView valueText(const StringSpan &span);
    bool scanNumber(double *value);
    bool scanWord(QStringView word);
    bool push(bool object);
    void closeObject();
    bool noteKey(const StringSpan &span, QStringView *key);

    const char16_t *m_begin;
    const char16_t *m_pos;
    const char16_t *m_end;
    Dialect m_dialect;
    Error m_error = Error::None;
    qsizetype m_errorOffset = 0;
    // Packet dialect: some key could break the key rules (see noteKey(), closeObject()).
    bool m_keysInDoubt = false;
    QVarLengthArray<Level, 16> m_levels;
    QString m_scratch; // unescaped text for readStringView() and nextKey()
};

// The text of a REST body for JsonReader's Body dialect, or nullopt where QJsonDocument::fromJson() refuses
// it for its bytes alone. Invalid UTF-8 is refused, or with `replaceInvalid` read as U+FFFD: the decoders
// read a body with a bad byte again so, as one bad byte in one customer's message must not make the
// whole conversation unreadable.
std::optional<QString> jsonBodyText(QByteArrayView body, bool replaceInvalid);

} // namespace Protocol
