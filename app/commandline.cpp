#include "commandline.h"

#include "consolelink.h"

#include <QCommandLineParser>
#include <QFile>

#include <algorithm>

static QCommandLineParser &describe(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Agent Console: answer customer conversations and see each reply's delivery state live.\n"
        "Without --api-url it signs in with the stored settings and the token in the system keychain (a sign-in "
        "dialog asks the first time). With --api-url and --tenant, the token is read from --token-file or the "
        "AGENT_CONSOLE_TOKEN environment variable, for this run only."));
    parser.addPositionalArgument(QStringLiteral("link"),
        QStringLiteral("agent-console://open?conversation=<id>[&tenant=<t>][&server=<url>]: open that conversation "
                       "(in the running console, if there is one). A link for another tenant or server than the "
                       "signed-in account is refused."),
        QStringLiteral("[link...]"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("demo"), QStringLiteral("Run against a built-in demo backend; no setup needed.")},
        {QStringLiteral("api-url"), QStringLiteral("Base URL of the widget backend, e.g. https://chat.example.com."),
            QStringLiteral("url")},
        {QStringLiteral("tenant"), QStringLiteral("Tenant id."), QStringLiteral("id")},
        {QStringLiteral("conversation"),
            QStringLiteral("Conversation id to open; repeat it to open several (default: the conversations open "
                           "when the console last quit)."),
            QStringLiteral("id")},
        {QStringLiteral("integration"), QStringLiteral("Integration id (default: from the conversation context)."),
            QStringLiteral("id")},
        {QStringLiteral("token-file"), QStringLiteral("File holding the API token."), QStringLiteral("path")},
        {QStringLiteral("ca-file"),
            QStringLiteral("PEM file of a private CA to trust for https/wss, besides the system CA store."),
            QStringLiteral("path")},
    });
    // For agent-console-bench (cold_start_ms), not for agents: kept out of --help.
    QCommandLineOption exitAfterFirstPaint(QStringLiteral("exit-after-first-paint"),
        QStringLiteral("Print the milliseconds from start to the window's first paint and to the first paint of the "
                       "conversation's history, then quit."));
    exitAfterFirstPaint.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(exitAfterFirstPaint);
    return parser;
}

static EarlyExit usageError(const QString &message)
{
    return EarlyExit{2, QStringLiteral("agent-console: %1\nTry 'agent-console --help'.\n").arg(message)};
}

// Every certificate in a PEM file, or why there is none. A file that yields nothing would otherwise
// surface much later as an untrusted-certificate error that sends the agent looking at the server.
static std::variant<QList<QSslCertificate>, QString> readCaFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read the CA file %1: %2").arg(path, file.errorString());
    file.close();
    const QList<QSslCertificate> certificates
        = QSslCertificate::fromPath(path, QSsl::Pem, QSslCertificate::PatternSyntax::FixedString);
    const bool anyNull
        = std::any_of(certificates.cbegin(), certificates.cend(), [](const QSslCertificate &c) { return c.isNull(); });
    if (certificates.isEmpty() || anyNull)
        return QStringLiteral("the CA file %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)").arg(path);
    return certificates;
}

std::variant<Options, EarlyExit> parseCommandLine(const QStringList &arguments, const QString &tokenFromEnvironment)
{
    QCommandLineParser parser;
    describe(parser);
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        return EarlyExit{0, parser.helpText()};
    if (parser.isSet(QStringLiteral("version")))
        return EarlyExit{0, QStringLiteral("agent-console %1\n").arg(QStringLiteral(AGENT_CONSOLE_VERSION))};
    Options options;
    for (const QString &argument : parser.positionalArguments()) {
        // Not echoed: a stray argument is as likely as not a token pasted in the wrong place.
        if (!ConsoleLinks::looksLikeLink(argument))
            return usageError(QStringLiteral("unexpected argument (options start with --; the token goes in "
                                             "--token-file or AGENT_CONSOLE_TOKEN)"));
        const auto link = ConsoleLinks::parse(argument);
        if (const auto *why = std::get_if<QString>(&link))
            return usageError(QStringLiteral("cannot open the link: %1").arg(*why));
        options.links.append(argument.trimmed());
    }
    options.demo = parser.isSet(QStringLiteral("demo"));
    options.exitAfterFirstPaint = parser.isSet(QStringLiteral("exit-after-first-paint"));
    if (options.demo) {
        for (const char *name : {"api-url", "tenant", "conversation", "integration", "token-file", "ca-file"}) {
            if (parser.isSet(QString::fromLatin1(name)))
                return usageError(QStringLiteral("--demo cannot be combined with --%1").arg(QLatin1String(name)));
        }
        if (!options.links.isEmpty())
            return usageError(QStringLiteral("--demo cannot open links: they are for the signed-in account"));
        return options;
    }
    for (const QString &value : parser.values(QStringLiteral("conversation"))) {
        const QString id = value.trimmed();
        if (id.isEmpty())
            return usageError(QStringLiteral("--conversation needs a conversation id"));
        if (!options.conversations.contains(id))
            options.conversations.append(id);
    }
    if (parser.isSet(QStringLiteral("ca-file"))) {
        const auto read = readCaFile(parser.value(QStringLiteral("ca-file")));
        if (const auto *why = std::get_if<QString>(&read))
            return usageError(*why);
        options.caCertificates = std::get<QList<QSslCertificate>>(read);
    }
    // Without --api-url the account comes from the settings and the keychain (or the sign-in dialog).
    if (!parser.isSet(QStringLiteral("api-url"))) {
        for (const char *name : {"tenant", "integration", "token-file"}) {
            if (parser.isSet(QString::fromLatin1(name)))
                return usageError(QStringLiteral("--%1 needs --api-url").arg(QLatin1String(name)));
        }
        return options;
    }
    if (!parser.isSet(QStringLiteral("tenant")))
        return usageError(QStringLiteral("--tenant is required with --api-url"));
    options.apiUrl = QUrl(parser.value(QStringLiteral("api-url")), QUrl::StrictMode);
    if (!options.apiUrl.isValid() || (options.apiUrl.scheme() != u"http" && options.apiUrl.scheme() != u"https")
        || options.apiUrl.host().isEmpty())
        return usageError(QStringLiteral("--api-url must be an http:// or https:// URL"));
    options.tenant = parser.value(QStringLiteral("tenant"));
    options.integration = parser.value(QStringLiteral("integration"));

    if (parser.isSet(QStringLiteral("token-file"))) {
        QFile file(parser.value(QStringLiteral("token-file")));
        if (!file.open(QIODevice::ReadOnly))
            return usageError(QStringLiteral("cannot read the token file: %1").arg(file.errorString()));
        options.token = QString::fromUtf8(file.read(64 * 1024)).trimmed();
    } else {
        options.token = tokenFromEnvironment.trimmed();
    }
    if (options.token.isEmpty())
        return usageError(QStringLiteral("no token: use --token-file or set AGENT_CONSOLE_TOKEN"));
    return options;
}

QSslConfiguration sslConfiguration(const QList<QSslCertificate> &extraCas)
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    // The system store is listed explicitly rather than adding to the default's list: the default may
    // load system roots on demand, and changing its CA list can turn that off, leaving only --ca-file
    // trusted. Certificate errors stay errors either way; nothing here relaxes verification.
    if (!extraCas.isEmpty())
        ssl.setCaCertificates(QSslConfiguration::systemCaCertificates() + extraCas);
    return ssl;
}
