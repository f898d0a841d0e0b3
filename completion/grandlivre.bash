# completion/grandlivre.bash — bash completion for grandlivre (installed by
# make install as share/bash-completion/completions/grandlivre; or source it).
#
# Every word comes from the program being completed, never from a copy here:
# the commands from `grandlivre __complete commands` (main.c's table), a
# command's subcommands from the usage lines of its --help, its options and
# the values an option takes ("--sep tab|pipe", FILE) from the same --help,
# the common options from `grandlivre --help`; after --tenant the tenants
# the key may see (`grandlivre __complete tenants`), after --account, --debit
# and --credit the tenant's accounts (`accounts list --format csv`), both
# asked from the daemon with the connection options and profile already on
# the command line, with a short timeout, and silently nothing when no daemon
# answers.  Help texts are cached for the shell's life, the daemon's answers
# for _GRANDLIVRE_CACHE_S seconds.

_GRANDLIVRE_CACHE_S=60
declare -gA _grandlivre_cache _grandlivre_cache_time

# _grandlivre_ask TTL KEY COMMAND...: COMMAND's standard output, cached under
# KEY for TTL seconds (0: for ever); standard error is discarded.
_grandlivre_ask() {
    local ttl=$1 key=$2
    shift 2
    if [[ -n ${_grandlivre_cache_time[$key]+x} ]] &&
        { ((ttl == 0)) || ((SECONDS - _grandlivre_cache_time[$key] < ttl)); }; then
        printf '%s' "${_grandlivre_cache[$key]}"
        return
    fi
    local out
    out=$("$@" 2>/dev/null </dev/null)
    _grandlivre_cache[$key]=$out
    _grandlivre_cache_time[$key]=$SECONDS
    printf '%s' "$out"
}

# The help text of `grandlivre WORDS... --help`, untranslated (its usage
# lines and option names are what is read).
_grandlivre_help() { _grandlivre_ask 0 "help:$*" env -u LANGUAGE LC_ALL=C "$_grandlivre_prog" "$@" --help; }

# The words that may follow `grandlivre WORDS...` (subcommands), from the
# usage lines of its help: "grandlivre group balance|statements|reconcile".
_grandlivre_subcommands() {
    local prefix="grandlivre $*" line rest word
    while IFS= read -r line; do
        line=${line#usage: }
        line=${line#"${line%%[! ]*}"}
        [[ $line == "$prefix "* ]] || continue
        rest=${line#"$prefix "}
        word=${rest%% *}
        [[ $word =~ ^[a-z][a-z|-]*$ ]] && printf '%s\n' ${word//|/ }
    done <<<"$(_grandlivre_help "$@")"
}

# The options a help text names, one a line.
_grandlivre_options() { grep -oE -- '(^|[^A-Za-z0-9-])--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z0-9-]+' | sort -u; }

# The common options: those listed under "Common options" in grandlivre --help.
_grandlivre_common() {
    _grandlivre_help | sed -n '/^Common options/,/^$/p' | grep -oE -- '^ +--[a-z][a-z0-9-]*' | tr -d ' '
}

# What OPTION takes in the help of WORDS...: its metavariable or its choices
# ("--encoding auto|utf-8|iso-8859-15" gives auto|utf-8|iso-8859-15).
_grandlivre_metavar() {
    local option=$1
    shift
    { _grandlivre_help "$@"; _grandlivre_help; } |
        grep -oE -- "$option[ =][A-Za-z0-9_.|/-]+" | head -n1 | sed -e "s/^$option[ =]//"
}

_grandlivre() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    _grandlivre_prog=${COMP_WORDS[0]}
    [[ $_grandlivre_prog == */* || -n $(type -P "$_grandlivre_prog") ]] || return 0
    COMPREPLY=()

    # The connection options and tenant already given, the command and its
    # subcommands (words the usage lines allow; option values are skipped).
    local -a conn=() path=()
    local tenant="" i w subs
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        --endpoint | --key | --server-key | --profile)
            conn+=("$w" "${COMP_WORDS[i + 1]}")
            ((i++))
            continue
            ;;
        --tenant)
            tenant=${COMP_WORDS[i + 1]}
            ((i++))
            continue
            ;;
        --timeout | --format | --request-id)
            ((i++))
            continue
            ;;
        -*) continue ;;
        esac
        if ((${#path[@]} == 0)); then
            path=("$w")
        elif ((${#path[@]} < 3)) && _grandlivre_subcommands "${path[@]}" | grep -qxF -- "$w"; then
            path+=("$w")
        fi
    done

    # The value of an option.
    case $prev in
    --tenant)
        COMPREPLY=($(compgen -W "$(_grandlivre_ask $_GRANDLIVRE_CACHE_S "tenants:${conn[*]}" \
            "$_grandlivre_prog" __complete tenants "${conn[@]}")" -- "$cur"))
        return 0
        ;;
    --account | --debit | --credit)
        [[ $prev == --account ]] || compopt -o nospace 2>/dev/null
        COMPREPLY=($(compgen -W "$(_grandlivre_ask $_GRANDLIVRE_CACHE_S "accounts:${conn[*]}:$tenant" \
            "$_grandlivre_prog" accounts list --format csv --timeout 2 "${conn[@]}" \
            ${tenant:+--tenant "$tenant"} | sed -e '1d' -e 's/,.*//')" -- "$cur"))
        return 0
        ;;
    --format)
        COMPREPLY=($(compgen -W "$(_grandlivre_help | grep -E -- '^ +--format ' | sed -e 's/^ *--format [A-Z]* *//' \
            -e 's/;.*//' -e 's/(default)//' -e 's/,/ /g' -e 's/ or / /g')" -- "$cur"))
        return 0
        ;;
    -*)
        local meta
        meta=$(_grandlivre_metavar "$prev" "${path[@]}")
        if [[ $meta == *'|'* ]]; then
            COMPREPLY=($(compgen -W "${meta//|/ }" -- "$cur"))
            return 0
        elif [[ $meta =~ (FILE|DIR|KEYS|CONFIG|\.csv) ]]; then
            compopt -o default 2>/dev/null
            return 0
        elif [[ -n $meta && $meta =~ ^[A-Z] ]]; then
            return 0 # a date, a number, a name: nothing to offer
        fi
        ;;
    esac

    if ((${#path[@]} == 0)); then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_grandlivre_common) --help --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_grandlivre_ask 0 commands "$_grandlivre_prog" __complete commands)" -- "$cur"))
        fi
        return 0
    fi
    if [[ $cur == -* ]]; then
        local own
        own=$(_grandlivre_help "${path[@]}" | _grandlivre_options)
        if grep -qxE -- '--(tenant|endpoint)' <<<"$own"; then
            own+=$'\n'$(_grandlivre_common)
        fi
        COMPREPLY=($(compgen -W "$own --help" -- "$cur"))
        return 0
    fi
    subs=$(_grandlivre_subcommands "${path[@]}")
    if [[ -n $subs ]]; then
        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
        return 0
    fi
    compopt -o default 2>/dev/null # a file argument (post FILE, verify FILE)
    return 0
}

complete -F _grandlivre grandlivre
