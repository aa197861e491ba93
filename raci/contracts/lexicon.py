"""Words of the contract reader's mapping stage: how a label is cut into comparable words.

Lower case, tiers written one way ("L1", "Level I", "first-line" -> tier1), synonyms contracts use
interchangeably unified, French matrices read through an English lexicon, nouns and verbs of one action
read as one word ("retention" ~ "retain"), light stemming, stop words dropped. The matcher
(``raci.contracts.mapping``) compares what ``normalize`` returns.
"""

from __future__ import annotations

import re

_STOP = {"the", "of", "and", "for", "to", "a", "an", "on", "in", "with", "by", "all", "any", "our", "its", "etc",
         "incl", "including", "e", "g", "eg", "ie", "i", "or", "from", "as", "at", "is", "are", "be", "de", "du",
         "des", "la", "le", "les", "et", "en", "au", "aux", "d", "l", "per", "via", "into", "their", "your", "this",
         "that", "these", "such", "sur", "dans", "pour", "par", "avec", "vos", "votre", "leur", "leurs", "une", "un",
         "ce", "cette", "ces", "son", "sa", "ses", "est", "sont", "ou", "afin", "chaque", "tout", "tous", "toutes",
         "entre",
         # prose filler: the words a requirement sentence is built with, which name no activity
         "within", "each", "every", "it", "not", "no", "has", "have", "been", "was", "were", "which", "who", "whom",
         "when", "where", "while", "whether", "than", "then", "there", "so", "can", "may", "must", "shall", "should",
         "will", "would", "also", "other", "those", "them", "they", "we", "us", "you", "upon", "being", "do", "does",
         "both", "only", "same", "if", "necessary", "appropriate", "overall", "proper", "properly", "associated",
         "required", "relevant", "sufficient", "specific", "least", "more", "most", "whose", "what", "own",
         "qui", "que", "dont", "ils", "elles", "s", "qu", "lors", "correctement", "nécessaires", "nécessaire", "associée", "associé"}
# Words contracts use interchangeably; each maps to one spelling before matching.
_SYNONYMS = {
    "helpdesk": "servicedesk", "l0": "tier1", "l1": "tier1", "l2": "tier2", "l3": "tier3", "t1": "tier1", "t2": "tier2",
    "t3": "tier3", "pc": "workstation", "pcs": "workstation", "desktop": "workstation", "desktops": "workstation",
    "laptop": "workstation", "laptops": "workstation", "endpoint": "workstation", "endpoints": "workstation",
    "o365": "m365", "office365": "m365", "microsoft365": "m365", "av": "antivirus", "anti-virus": "antivirus",
    "mfa": "multifactor", "2fa": "multifactor", "multi-factor": "multifactor", "dr": "disaster-recovery",
    "bcp": "continuity", "bc": "continuity", "os": "operating-system", "patches": "patch", "patching": "patch",
    "updates": "update", "fw": "firewall", "onboarding": "joiner", "offboarding": "leaver", "vcio": "strategy",
    "cybersecurity": "security", "cyber": "security", "backups": "backup", "restores": "restore", "recovery": "restore",
    "licence": "license", "licences": "license", "licensing": "license", "organisation": "organization",
    "monitor": "monitoring", "antimalware": "antivirus", "anti-malware": "antivirus", "e-mail": "email", "mail": "email",
    "wifi": "wireless", "wi-fi": "wireless", "wlan": "wireless", "onsite": "on-site", "deskside": "on-site",
    "iam": "identity", "vm": "virtual-machine", "problem": "fault", "problems": "fault", "issue": "fault",
    "issues": "fault", "faults": "fault", "failure": "fault", "failures": "fault", "failed": "fault", "outage": "fault",
    "outages": "fault", "supervise": "monitoring", "supervision": "monitoring", "supervising": "monitoring",
    "telemetry": "monitoring", "size": "sizing", "sized": "sizing", "resize": "sizing", "subscribe": "procure",
    "subscribed": "procure", "buy": "procure", "acquire": "procure", "destruction": "erase", "destroy": "erase",
    "wiping": "erase", "sanitisation": "erase", "sanitization": "erase", "sanitize": "erase", "sanitise": "erase",
    "antiviral": "antivirus", "middlewares": "middleware", "vms": "virtual-machine", "secrets": "secret", "logs": "log",
}
_TIER = {"0": "1", "1": "1", "2": "2", "3": "3", "i": "1", "ii": "2", "iii": "3", "one": "1", "two": "2", "three": "3"}
_PHRASES = (
    (re.compile(r"\b(tier|level|line|niveau)\s*[-#]?\s*(0|1|2|3|i{1,3}|one|two|three)\b"), lambda m: f" tier{_TIER[m.group(2)]} "),
    (re.compile(r"\b(first|1st)[- ]line\b"), lambda m: " tier1 "),
    (re.compile(r"\b(second|2nd)[- ]line\b"), lambda m: " tier2 "),
    (re.compile(r"\b(third|3rd)[- ]line\b"), lambda m: " tier3 "),
    (re.compile(r"\bhelp[\s-]*desk\b|\bservice[\s-]*desk\b"), lambda m: " servicedesk "),
    (re.compile(r"\b24\s*[x/]\s*7\b"), lambda m: " 24x7 "),
    (re.compile(r"\bafter[\s-]+hours?\b|\bout[\s-]of[\s-]hours\b"), lambda m: " after-hours "),
    (re.compile(r"\bdisaster[\s-]+recovery\b"), lambda m: " disaster-recovery "),
    (re.compile(r"\bmicrosoft\s*365\b|\boffice\s*365\b"), lambda m: " m365 "),
    (re.compile(r"\bon[\s-]+site\b"), lambda m: " on-site "),
    (re.compile(r"\boperating[\s-]+systems?\b|\bsystèmes?\s+d['’]\s*exploitation\b"), lambda m: " operating-system "),
    (re.compile(r"\bvirtual[\s-]+machines?\b|\bmachines?\s+virtuelles?\b"), lambda m: " virtual-machine "),
    # French: the words of one notion written apart
    (re.compile(r"\bcontinuité\s+d['’]\s*activité\b"), lambda m: " business continuity "),
    (re.compile(r"\breprise\s+d['’]\s*activité\b"), lambda m: " disaster-recovery "),
    # keeping a thing running (MCO) and keeping it secure (MCS), as IaaS and SecNumCloud matrices say it in either
    # language: one word each, so "operational readiness of backups" is one notion whatever the wording
    (re.compile(r"\bmaintien\s+en\s+condition\s+opérationnelle\b|\boperational\s+readiness\b|\bmco\b"), lambda m: " mco "),
    (re.compile(r"\bmaintien\s+en\s+condition\s+de\s+sécurité\b|\bsecurity\s+readiness\b|\bmcs\b"), lambda m: " mcs "),
    (re.compile(r"\bmise\s+en\s+(?:œuvre|oeuvre)\b|\bmettre\s+en\s+(?:œuvre|oeuvre)\b"), lambda m: " implement "),
    (re.compile(r"\bmise\s+en\s+place\b|\bmettre\s+en\s+place\b"), lambda m: " deploy "),  # set up
    (re.compile(r"\bmettre\s+à\s+jour\b|\bmise\s+à\s+jour\b"), lambda m: " update "),
    (re.compile(r"\bsuivi\s+d(?:e|u|es)\s+(?:la\s+|l['’]\s*)?performances?\b"), lambda m: " performance monitoring "),
    (re.compile(r"\bmise\s+à\s+disposition\b|\bmettre\s+à\s+disposition\b"), lambda m: " provide "),
    (re.compile(r"\bcycles?\s+de(?:s)?\s+vies?\b"), lambda m: " lifecycle "),
    (re.compile(r"\bau\s+sein\s+d['’e]"), lambda m: " within "),
)
# Words that say little about which activity a row is; they count for less, and never alone make a match.
GENERIC = {"management", "manage", "support", "service", "administration", "admin", "system", "it", "process",
            "activity", "task", "general", "provide", "ensure", "perform", "maintain", "maintenance", "ownership",
            "owner", "responsibility", "operation", "operational", "handl", "review", "plan", "planning", "new",
            "request", "user", "customer", "client", "provider", "msp", "team", "basic", "standard", "level", "data",
            "platform", "assist", "produce", "define",
            "defin", "implement", "identify", "coordinate", "develop", "deliver", "design", "discovery", "analysis",
            "preparation", "readiness", "consult", "advise", "best", "practice", "engagement", "tenant", "work", "product",
            "responsible", "activities", "your", "environment", "solution", "global"}
_PART_SPLIT = re.compile(r"\s*(?:\s&\s|&|\band\b|/|\||;|,|\+|\s[-\u2013\u2014]\s|\bet\b)\s*", re.IGNORECASE)


# Matrices written in French (SecNumCloud, Québec) map through the English catalog word by word.
_FRENCH = {
    "sauvegarde": "backup", "sauvegardes": "backup", "restauration": "restore", "restaurer": "restore", "réseau": "network",
    "réseaux": "network", "sécurité": "security", "supervision": "monitoring", "surveillance": "monitoring",
    "correctif": "patch", "correctifs": "patch", "journaux": "log", "journal": "log", "journalisation": "log",
    "accès": "access", "utilisateur": "user", "utilisateurs": "user", "identité": "identity", "identités": "identity",
    "incidents": "incident", "capacité": "capacity", "capacités": "capacity", "stockage": "storage", "calcul": "compute",
    "licences": "license", "licence": "license", "contrat": "contract", "contrats": "contract", "contractuel": "contract",
    "inventaire": "inventory", "continuité": "continuity", "reprise": "disaster-recovery", "pra": "disaster-recovery",
    "pca": "continuity", "conformité": "compliance", "pare-feu": "firewall", "chiffrement": "encrypt",
    "effacement": "erase", "réversibilité": "exit", "données": "data", "changement": "change", "changements": "change",
    "problème": "problem", "problèmes": "problem", "demande": "request", "approbation": "approve", "droits": "permission",
    "politique": "policy", "stratégie": "strategy", "dimensionnement": "sizing", "souscrire": "subscribe", "dimensionner": "sizing",
    "abonnement": "subscription", "configurer": "configure", "installer": "install", "déployer": "deploy",
    "surveiller": "monitoring", "conserver": "retain", "supprimer": "delete", "modifier": "modify", "valider": "validate",
    "fournisseur": "vendor", "prestataire": "provider", "adressage": "addressing", "connectivité": "connectivity",
    "liens": "links", "lien": "link", "opérateur": "operator", "documentation": "document", "technique": "technical",
    "virtuelles": "virtual", "virtuelle": "virtual", "machines": "machine", "sauvegarder": "backup", "tests": "test",
    "gestion": "management", "gérer": "manage", "assurer": "ensure", "mettre": "implement", "œuvre": "implement",
    "mise": "implement", "définir": "define", "fournir": "provide", "plan": "plan", "plans": "plan",
    "superviser": "monitoring", "métrologie": "monitoring", "antivirale": "antivirus", "antiviral": "antivirus",
    "habilitation": "permission", "maintien": "maintain", "fiabilité": "reliability", "équipement": "equipment",
    "sécurisé": "secure", "sécuriser": "secure", "suivi": "tracking",
    "devis": "quotes", "livraison": "delivery", "disponibilité": "availability", "cohérente": "consistent",
    "cohérent": "consistent", "périodique": "periodic", "efficacité": "effectiveness", "opérationnelle": "operation",
    "affecter": "assign", "livrée": "delivered", "référentiel": "framework", "acheter": "procure",
    "détenir": "hold", "utilisation": "usage", "logiciel": "software", "administrer": "administer",
    "ressource": "resource", "plateforme": "platform", "décision": "decide", "décider": "decide", "ajouter": "add",
    "retirer": "remove", "nouvelle": "new", "nouvel": "new", "nouveau": "new", "applicatif": "application",
    "projet": "project", "planifier": "plan", "choisir": "select", "cible": "target",
    "transférer": "transfer", "étiquette": "tag", "créer": "create", "tester": "test",
    "risque": "risk", "fournie": "provided", "fourni": "provided", "physique": "physical",
    "logique": "logical", "équipe": "team", "intégrée": "integrated",
    "choisie": "selected", "matériel": "hardware", "environnement": "environment",
}


def french(word: str) -> str:
    """The English word for a French one (plural or singular), else the word unchanged."""
    hit = _FRENCH.get(word)
    if hit is None and len(word) > 3 and word[-1] in "sx":
        hit = _FRENCH.get(word[:-1])
    return word if hit is None else hit


# Nouns and verbs of one action read as one word: "retention" matches "retain", "encryption" "encrypt".
_DERIVED = {
    "retention": "retain", "installation": "install", "configuration": "configure", "configur": "configure",
    "provision": "provision", "monitor": "monitoring", "encryption": "encrypt", "encrypted": "encrypt",
    "authentication": "authenticate", "authorisation": "authorize", "authorization": "authorize", "authorise": "authorize",
    "authorized": "authorize", "authorised": "authorize", "approval": "approve", "approved": "approve",
    "restoration": "restore", "recover": "restore", "deployment": "deploy", "deployed": "deploy", "migrate": "migration",
    "migrated": "migration", "disposal": "dispose", "disposition": "dispose", "erasure": "erase", "wipe": "erase",
    "assessment": "assess", "assessed": "assess", "remediation": "remediate", "remediated": "remediate",
    "notification": "notify", "notified": "notify", "documentation": "document", "documented": "document",
    "renewal": "renew", "renewed": "renew", "procurement": "procure", "purchase": "procure", "purchas": "procure",
    "escalation": "escalate", "escalated": "escalate", "containment": "contain", "contained": "contain",
    "response": "respond", "responded": "respond", "analyz": "analysis", "analyse": "analysis", "analyze": "analysis",
    "tested": "test", "testing": "test", "trained": "train", "training": "train", "scanned": "scan", "scanner": "scan",
    "inventori": "inventory", "vulnerabiliti": "vulnerability", "incidents": "incident", "protection": "protect",
    "protected": "protect", "isolation": "isolate", "segmentation": "segment", "replication": "replicate",
}


def normalize(label: str) -> str:
    """Lower case, tiers written one way, synonyms unified, light stemming, stop words dropped."""
    return " ".join(t for t, _seg in tokens(label))


# Verbs that act on an object named later ("Create, install and update your virtual machines"): alone in a part of a
# list they name no activity.
ACTIONS = frozenset({"create", "install", "update", "configure", "modify", "delete", "remove", "add", "deploy",
                     "provision", "upgrade", "build", "set", "run", "operate", "administer", "monitoring", "test"})
# Nouns of a routine process that take an object ("incidents on the storage", "the lifecycle of backup policies",
# "tests of the recovery plan"): the object says which activity it is; the process noun only refines.
PROCESS = frozenset({"incident", "fault", "lifecycle", "test", "readiness", "evaluate", "assess", "security", "availability",
                     "mco", "mcs"})
# Words that open what a clause applies to ("... on your virtual machines", "... for the backup service"):
# a new segment starts at each, so a matcher can tell the thing done from where it is done.
SCOPE_WORDS = frozenset({"on", "for", "within", "in", "inside", "across", "throughout", "under", "by", "at",
                         "supporting", "deployed", "hosted", "sur", "pour", "dans", "au", "aux", "par",
                         "soutenant", "déployées", "déployés", "hébergé", "hébergés"})


# hyphenated words the phrases and synonyms produce on purpose: kept as they are
_JOINED = frozenset({v for v in _SYNONYMS.values() if "-" in v} | {"after-hours", "disaster-recovery", "on-site", "virtual-machine"})


def tokens(label: str) -> list[tuple[str, int]]:
    """The words ``normalize`` keeps, each with the number of the segment it sits in (see SCOPE_WORDS)."""
    text = label.lower().replace("&", " and ").replace("_", " ")
    for rx, sub in _PHRASES:
        text = rx.sub(sub, text)
    words = []
    seg = 0
    for raw in re.split(r"[^\w-]+", text):
        w = raw.strip("-")
        if w in SCOPE_WORDS:
            seg += 1
        if not w or w in _STOP:
            continue
        w = french(w)
        if "-" in w and w not in _SYNONYMS and w not in _JOINED:
            w = w.replace("-", "")  # "cut-over" is "cutover", "off-boarding" "offboarding"
        w = _SYNONYMS.get(w, w)
        w = _stem(w)
        words.append((_DERIVED.get(w, w), seg))
    return words


def _stem(word: str) -> str:
    if len(word) > 5 and word.endswith("ing"):
        stem = word[:-3]
        # logging -> log, planning -> plan, scanning -> scan (not billing, installing)
        return stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz" else stem
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def split_parts(label: str) -> list[str]:
    """The things a label joins: "Backup & Recovery (weekly)" -> ["Backup", "Recovery"]; one part if it joins none."""
    main = " ".join(re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", label).split())
    parts = [p.strip() for p in _PART_SPLIT.split(main) if p and normalize(p)]
    if len(parts) > 1:
        return parts
    return [main, label] if main and main != label and normalize(main) else [label]
