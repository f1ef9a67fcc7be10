// A stand-in for libFuzzer's main() where libFuzzer is not available (gcc, the ASan/UBSan build, CI):
// runs LLVMFuzzerTestOneInput on every seed file, then on --runs inputs made from a fixed --seed by
// mutating the seeds (bit flips, byte edits, splices, dictionary tokens) or from random bytes. The
// same seed gives the same inputs on every machine, so a failure here is reproducible; and when an
// input crashes (a sanitizer report, an abort, a signal) it is written to --crash-file to replay alone.
//
//   fuzz_frames_replay [--runs N] [--seed S] [--max-len L] [--dict FILE] [--crash-file F] PATH...
//
// A PATH is a seed file or a folder of them (e.g. a crash-* file from libFuzzer to reproduce).
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <fcntl.h>
#ifdef _WIN32
#include <sys/stat.h>
#include <io.h> // the CRT's _open/_write/_close; MSVC has no sanitizer death callback to hook
#else
#include <unistd.h>
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#if !defined(_WIN32) && !defined(__APPLE__)
// Provided by the sanitizer runtimes; null (weak) in a plain build. Mach-O's linker and MSVC's have no
// undefined weak symbols: there only the signal handlers below save the input.
#define REPLAY_DEATH_CALLBACK 1
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));
#endif

namespace {

using Bytes = std::vector<uint8_t>;

// splitmix64: tiny, and unlike std::uniform_int_distribution the same on every standard library.
struct Random
{
    uint64_t state;
    uint64_t next()
    {
        uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) { return n == 0 ? 0 : size_t(next() % n); }
};

Bytes readFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// libFuzzer's dictionary format: one "token" per line (name= optional), with \\, \" and \xNN escapes.
std::vector<Bytes> readDictionary(const std::string &path)
{
    std::vector<Bytes> tokens;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        const size_t open = line.find('"');
        const size_t close = line.rfind('"');
        if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open)
            continue;
        Bytes token;
        for (size_t i = open + 1; i < close; ++i) {
            if (line[i] == '\\' && i + 1 < close) {
                if (line[i + 1] == 'x' && i + 3 < close && hexValue(line[i + 2]) >= 0 && hexValue(line[i + 3]) >= 0) {
                    token.push_back(uint8_t(hexValue(line[i + 2]) * 16 + hexValue(line[i + 3])));
                    i += 3;
                    continue;
                }
                ++i;
            }
            token.push_back(uint8_t(line[i]));
        }
        tokens.push_back(std::move(token));
    }
    return tokens;
}

void mutate(
    Bytes &input, const std::vector<Bytes> &seeds, const std::vector<Bytes> &dictionary, Random &random, size_t maxLen)
{
    const size_t edits = 1 + random.below(8);
    for (size_t e = 0; e < edits; ++e) {
        const size_t at = random.below(input.size() + 1);
        switch (random.below(8)) {
        case 0: // flip a bit
            if (!input.empty())
                input[random.below(input.size())] ^= uint8_t(1u << random.below(8));
            break;
        case 1: // set a byte, often to something the parsers care about
            if (!input.empty()) {
                static const char special[] = "\"{}[],:0-9eE.\\/\x1e\x00\x7f\xc0\xff";
                input[random.below(input.size())]
                    = random.below(2) ? uint8_t(random.next()) : uint8_t(special[random.below(sizeof special - 1)]);
            }
            break;
        case 2: // insert a random byte
            input.insert(input.begin() + std::ptrdiff_t(at), uint8_t(random.next()));
            break;
        case 3: { // delete a range
            const size_t n = std::min(input.size() - std::min(at, input.size()), 1 + random.below(16));
            input.erase(input.begin() + std::ptrdiff_t(at), input.begin() + std::ptrdiff_t(at + n));
            break;
        }
        case 4: // duplicate a range: deep nesting, long strings
            if (!input.empty()) {
                const size_t from = random.below(input.size());
                const size_t n = 1 + random.below(std::min<size_t>(64, input.size() - from));
                const Bytes piece(input.begin() + std::ptrdiff_t(from), input.begin() + std::ptrdiff_t(from + n));
                for (size_t r = 1 + random.below(32); r > 0; --r)
                    input.insert(input.begin() + std::ptrdiff_t(at), piece.begin(), piece.end());
            }
            break;
        case 5: // splice in part of another seed
            if (!seeds.empty()) {
                const Bytes &other = seeds[random.below(seeds.size())];
                const size_t from = random.below(other.size());
                const size_t n = random.below(other.size() - from + 1);
                input.insert(input.begin() + std::ptrdiff_t(at), other.begin() + std::ptrdiff_t(from),
                    other.begin() + std::ptrdiff_t(from + n));
            }
            break;
        case 6:
        case 7: // a dictionary token
            if (!dictionary.empty()) {
                const Bytes &token = dictionary[random.below(dictionary.size())];
                input.insert(input.begin() + std::ptrdiff_t(at), token.begin(), token.end());
            }
            break;
        }
        if (input.size() > maxLen)
            input.resize(maxLen);
    }
}

const Bytes *currentInput = nullptr;
std::string crashFile = "fuzz-crash-input";

// Runs on a sanitizer's death or in a signal handler: only open/write/close, which are signal-safe.
void saveCurrentInput()
{
    if (!currentInput)
        return;
#ifdef _WIN32
    const int fd = ::_open(crashFile.c_str(), _O_WRONLY | _O_CREAT | _O_TRUNC | _O_BINARY, _S_IREAD | _S_IWRITE);
    if (fd < 0)
        return;
    if (::_write(fd, currentInput->data(), unsigned(currentInput->size())) >= 0) {
        static const char note[] = "\nreplay driver: the failing input is saved in the --crash-file\n";
        [[maybe_unused]] const auto ignored = ::_write(2, note, unsigned(sizeof note - 1));
    }
    ::_close(fd);
#else
    const int fd = ::open(crashFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    if (::write(fd, currentInput->data(), currentInput->size()) >= 0) {
        static const char note[] = "\nreplay driver: the failing input is saved in the --crash-file\n";
        [[maybe_unused]] const auto ignored = ::write(STDERR_FILENO, note, sizeof note - 1);
    }
    ::close(fd);
#endif
    currentInput = nullptr;
}

void onFatalSignal(int signal)
{
    saveCurrentInput();
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

void run(const Bytes &input)
{
    currentInput = &input;
    LLVMFuzzerTestOneInput(input.data(), input.size());
    currentInput = nullptr;
}

} // namespace

int main(int argc, char **argv)
{
    uint64_t runs = 0;
    uint64_t seed = 1;
    size_t maxLen = 4096;
    std::string dictionaryPath;
    std::vector<std::filesystem::path> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--runs" && hasValue)
            runs = std::strtoull(argv[++i], nullptr, 10);
        else if (arg == "--seed" && hasValue)
            seed = std::strtoull(argv[++i], nullptr, 10);
        else if (arg == "--max-len" && hasValue)
            maxLen = std::strtoull(argv[++i], nullptr, 10);
        else if (arg == "--dict" && hasValue)
            dictionaryPath = argv[++i];
        else if (arg == "--crash-file" && hasValue)
            crashFile = argv[++i];
        else if (arg.rfind("--", 0) == 0) {
            std::fprintf(stderr, "unknown option %s\n", arg.c_str());
            return 2;
        } else
            paths.emplace_back(arg);
    }

    std::vector<Bytes> seeds;
    for (const auto &path : paths) {
        if (std::filesystem::is_directory(path)) {
            std::vector<std::filesystem::path> files;
            for (const auto &entry : std::filesystem::directory_iterator(path)) {
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            }
            std::sort(files.begin(), files.end()); // directory order differs between machines
            for (const auto &file : files)
                seeds.push_back(readFile(file));
        } else if (std::filesystem::is_regular_file(path)) {
            seeds.push_back(readFile(path));
        } else {
            std::fprintf(stderr, "no such seed file or folder: %s\n", path.string().c_str());
            return 2;
        }
    }
    const std::vector<Bytes> dictionary
        = dictionaryPath.empty() ? std::vector<Bytes>() : readDictionary(dictionaryPath);

#ifdef REPLAY_DEATH_CALLBACK
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(saveCurrentInput);
#endif
#ifdef SIGBUS
    for (int signal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL})
#else // Windows
    for (int signal : {SIGABRT, SIGSEGV, SIGFPE, SIGILL})
#endif
        std::signal(signal, onFatalSignal);

    for (const Bytes &input : seeds)
        run(input);

    Random random {seed};
    for (uint64_t r = 0; r < runs; ++r) {
        Bytes input;
        if (seeds.empty() || random.below(10) == 0) {
            input.resize(random.below(256));
            for (uint8_t &b : input)
                b = uint8_t(random.next());
        } else {
            input = seeds[random.below(seeds.size())];
        }
        mutate(input, seeds, dictionary, random, maxLen);
        run(input);
    }
    std::printf("%zu seed inputs and %llu generated inputs (seed %llu, %zu dictionary tokens): no crash\n",
        seeds.size(), static_cast<unsigned long long>(runs), static_cast<unsigned long long>(seed), dictionary.size());
    return 0;
}
