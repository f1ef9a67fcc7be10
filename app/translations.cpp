#include "translations.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace {
// lupdate keeps this entry in every catalogue: it tells Qt which way the language reads ("LTR" or
// "RTL"), so a catalogue loaded by other means still mirrors the layout.
[[maybe_unused]] const char *const layoutDirectionKey = QT_TRANSLATE_NOOP("QGuiApplication", "QT_LAYOUT_DIRECTION");

const auto translatorName = QStringLiteral("agentConsoleTranslator");

QString &installedLanguage()
{
    static QString language;
    return language;
}
} // namespace

void installTranslations(QCoreApplication &app, const QLocale &locale)
{
    const auto previous = app.findChildren<QTranslator *>(translatorName, Qt::FindDirectChildrenOnly);
    for (QTranslator *old : previous) {
        QCoreApplication::removeTranslator(old);
        old->deleteLater();
    }

    // QTranslator::load(locale, ...) walks the locale's UI languages: de_AT finds agent-console_de.
    auto *ours = new QTranslator(&app);
    ours->setObjectName(translatorName);
    if (!ours->load(locale, QStringLiteral("agent-console"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        && !ours->load(QStringLiteral(":/i18n/agent-console_en.qm"))) {
        qWarning("translations: no catalogue found under :/i18n");
    }
    QCoreApplication::installTranslator(ours);
    installedLanguage() = ours->language();

    // Qt's own strings (dialog buttons, context menus of text fields), where Qt's catalogues are.
    // Only with our catalogue in the same language, so a dialog never mixes two languages.
    auto *qt = new QTranslator(&app);
    qt->setObjectName(translatorName);
    if (!ours->language().startsWith(QLatin1String("en"))
        && qt->load(QLocale(ours->language()), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
    } else {
        qt->deleteLater();
    }

    // The UI mirrors with the language it shows, not with the locale: an English UI on a Hebrew
    // system (no catalogue) stays left to right.
    if (qobject_cast<QGuiApplication *>(&app))
        QGuiApplication::setLayoutDirection(QLocale(ours->language()).textDirection());
}

QString installedTranslationLanguage()
{
    return installedLanguage();
}
