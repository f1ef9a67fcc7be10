// The READMEs say what the code does: .ci/run runs the README's test command, and the figure tables
// name the keys agent-console-bench prints (--keys), so a renamed figure cannot leave a stale row.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

QString readSource(const QString &path)
{
    QFile file(QDir(QStringLiteral(AGENT_CONSOLE_SOURCE_DIR)).filePath(path));
    return file.open(QIODevice::ReadOnly | QIODevice::Text) ? QString::fromUtf8(file.readAll()) : QString();
}

QStringList cells(const QString &row)
{
    QStringList parts = row.trimmed().split(u'|');
    return parts.size() < 3 ? QStringList() : parts.mid(1, parts.size() - 2);
}

// Every `key` named in the column headed "key" of the Markdown tables in `markdown`.
QSet<QString> tableKeys(const QString &markdown)
{
    static const QRegularExpression key(QStringLiteral("`([a-z0-9_]+)`"));
    QSet<QString> keys;
    qsizetype column = -1;
    bool header = true;
    for (const QString &line : markdown.split(u'\n')) {
        if (!line.startsWith(u'|')) {
            column = -1;
            header = true;
            continue;
        }
        const QStringList row = cells(line);
        if (header) {
            header = false;
            column = -1;
            for (qsizetype i = 0; i < row.size(); ++i) {
                if (row[i].trimmed() == u"key")
                    column = i;
            }
            continue;
        }
        if (column < 0 || column >= row.size())
            continue;
        for (auto it = key.globalMatch(row[column]); it.hasNext();)
            keys.insert(it.next().captured(1));
    }
    return keys;
}

QString sorted(const QSet<QString> &set)
{
    QStringList list(set.cbegin(), set.cend());
    list.sort();
    return list.join(u", ");
}

} // namespace

class TestReadme : public QObject
{
    Q_OBJECT

private slots:
    void ciRunsTheReadmeTestCommand()
    {
        const QString readme = readSource(QStringLiteral("README.md"));
        const QString ci = readSource(QStringLiteral(".ci/run"));
        QVERIFY(!readme.isEmpty() && !ci.isEmpty());
        static const QRegularExpression block(
            QStringLiteral("```sh\\n(.*?)\\n```"), QRegularExpression::DotMatchesEverythingOption);
        QStringList commands;
        for (auto it = block.globalMatch(readme); it.hasNext();) {
            const QString command = it.next().captured(1).trimmed();
            if (command.contains(u"ctest --test-dir"))
                commands.append(command);
        }
        QCOMPARE(commands.size(), 1);
        const QStringList ciLines = ci.trimmed().split(u'\n');
        QCOMPARE(ciLines.last().trimmed(), commands.first());
    }

    void figureTablesNameTheBenchKeys()
    {
#ifndef AGENT_CONSOLE_BENCH_EXECUTABLE
        QSKIP("built with -DAGENT_CONSOLE_BENCH=OFF: no agent-console-bench to ask for its keys");
#else
        QProcess bench;
        bench.start(QStringLiteral(AGENT_CONSOLE_BENCH_EXECUTABLE), {QStringLiteral("--keys")});
        QVERIFY(bench.waitForFinished(30000));
        QCOMPARE(bench.exitCode(), 0);
        const QStringList printed = QString::fromUtf8(bench.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
        const QSet<QString> benchKeys(printed.cbegin(), printed.cend());
        QVERIFY(benchKeys.contains(QStringLiteral("cold_start_ms")));

        // bench/README.md describes every key, and no other.
        const QSet<QString> described = tableKeys(readSource(QStringLiteral("bench/README.md")));
        QVERIFY2(described == benchKeys,
            qPrintable(u"bench/README.md only: "_qs + sorted(described - benchKeys) + u"; bench only: "_qs
                + sorted(benchKeys - described)));
        // The top-level README's performance table shows some of them, none that the bench lost.
        const QSet<QString> shown = tableKeys(readSource(QStringLiteral("README.md")));
        QVERIFY(shown.size() >= 10);
        QVERIFY2(benchKeys.contains(shown),
            qPrintable(u"README.md names keys the bench has not: "_qs + sorted(shown - benchKeys)));
#endif
    }
};

QTEST_GUILESS_MAIN(TestReadme)
#include "tst_readme.moc"
