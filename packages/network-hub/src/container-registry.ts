import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { checkAccountId, checkEcrRepositoryName, checkKmsKeyArn, checkPositive, invalidProp, LibraryVersion } from '@piksel/core';
import { Lazy } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { pascalId } from './private/construct-id';
import { checkTagPatterns, lifecyclePolicy, LifecycleSettings, pullByAccounts, pullPushStatements } from './private/ecr-policy';
import { policyDocument } from './private/route53-policy';

/** 30 images per build-tag pattern: about a month of daily builds to test or roll back to (our choice). */
const DEFAULT_KEEP_BUILD_IMAGES = 30;
/** Untagged images expire 7 days after push: the estate's registry lifecycle. */
const DEFAULT_UNTAGGED_EXPIRY_DAYS = 7;
/** Release tags are `v*` (`v1.4.2`), never expired. */
const DEFAULT_RELEASE_TAG_PATTERNS = ['v*'];
/** Build tags: `sha-<commit>` from branch builds, `pr-<number>` from pull requests; they expire by count. */
const DEFAULT_BUILD_TAG_PATTERNS = ['sha-*', 'pr-*'];
/** ECR's default encryption: S3-managed AES-256. */
const DEFAULT_ENCRYPTION_TYPE = 'AES256';

/**
 * Whether a tag, once pushed, may be pushed again to point at another image.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
 */
export enum TagMutability {
  /** A tag always names the same image; pushing an existing tag fails. */
  IMMUTABLE = 'IMMUTABLE',
  /** A push may move a tag (e.g. `latest`) to a new image. */
  MUTABLE = 'MUTABLE',
}

/**
 * An IAM role in the registry's account that can be given access to it (the same shape as
 * `@piksel/secrets`' `IGrantee`, which this package does not depend on).
 */
export interface IRegistryGrantee extends IConstruct {
  /** Name of the IAM role that grants attach their inline policies to. */
  readonly granteeRoleName: string;
}

/** A container registry: repositories that accounts may pull from and roles may push to. */
export interface IContainerRegistry extends IConstruct {
  /**
   * Lets `account` pull every repository of the registry, present and future.
   *
   * The account's principals still need `ecr:GetAuthorizationToken` from their own account's IAM
   * (spoke nodes get it from `AmazonEC2ContainerRegistryReadOnly` on the node role).
   */
  grantPull(account: string): void;

  /**
   * Lets a role of the registry's account log in to ECR, and push to and pull the repositories
   * named, and no other.
   */
  grantPullPush(grantee: IRegistryGrantee, repositoryNames: string[]): void;
}

/** Options of one repository of a `ContainerRegistry`. */
export interface RepositoryOptions {
  /**
   * Whether tags may be moved to another image.
   *
   * @default TagMutability.IMMUTABLE
   */
  readonly imageTagMutability?: TagMutability;

  /**
   * How many images of each build-tag pattern this repository keeps (1 or more); older ones expire.
   *
   * @default - the registry's `keepBuildImages`
   */
  readonly keepBuildImages?: number;

  /**
   * Days after push when an untagged image of this repository expires (1 or more).
   *
   * @default - the registry's `untaggedExpiryDays`
   */
  readonly untaggedExpiryDays?: number;

  /**
   * Tags for this repository; they override the registry's tags of the same key.
   *
   * @default - the registry's tags
   */
  readonly tags?: { [key: string]: string };
}

/** Properties of a `ContainerRegistry`. */
export interface ContainerRegistryProps {
  /**
   * Tag patterns of release images (`*` wildcards, at most four): an image carrying a tag that
   * matches one is **never expired**, whatever other tags it carries. Clusters run release tags.
   *
   * @default ['v*']
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
   */
  readonly releaseTagPatterns?: string[];

  /**
   * Tag patterns of build images (`*` wildcards, at most four): per pattern, all but the newest
   * `keepBuildImages` images with a matching tag expire — unless the image also carries a
   * release tag. Tags that match neither list (`latest`) are never expired.
   *
   * @default ['sha-*', 'pr-*']
   */
  readonly buildTagPatterns?: string[];

  /**
   * How many images of each build-tag pattern each repository keeps (1 or more); older ones
   * expire. Release images that also carry a build tag count among them.
   *
   * @default 30
   */
  readonly keepBuildImages?: number;

  /**
   * Days after push when an untagged image (one no tag points at any more) expires (1 or more).
   *
   * @default 7
   */
  readonly untaggedExpiryDays?: number;

  /**
   * ARN of a KMS key that encrypts every repository. ECR cannot change a repository's encryption:
   * setting or changing this replaces the repositories and deletes their images.
   *
   * @default - AES-256 with an AWS-managed key
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
   */
  readonly encryptionKmsKeyArn?: string;

  /**
   * Tags for every repository (the provider's default tags still apply beneath them).
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/** Attributes of one repository of a `ContainerRegistry`. */
export interface RepositoryAttributes {
  /** Name of the repository. */
  readonly repositoryName: string;

  /** ARN of the repository. */
  readonly repositoryArn: string;

  /** URL to push to and pull from, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`. */
  readonly repositoryUrl: string;
}

/**
 * The central container registry of the hub account: ECR repositories with immutable tags
 * (unless a repository says otherwise), scan on push, a lifecycle that never expires release
 * tags (`v*`), keeps the newest build tags (`sha-*`, `pr-*`) and expires untagged images after a
 * week, pull access for spoke accounts (`grantPull`) and push access to named repositories for
 * roles of the hub (`grantPullPush`).
 *
 * Each repository's construct ID is its name in PascalCase (`piksel-core` → `PikselCore`), so
 * adding or removing one never touches the others. `force_delete` is off: Terraform refuses to
 * destroy a repository that still holds images.
 *
 * Scan on push is the repository's basic scanning; a registry-level scanning configuration
 * (enhanced scanning with Amazon Inspector), when set, takes precedence over it.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/Repositories.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-basic.html
 */
export class ContainerRegistry extends Construct implements IContainerRegistry {
  private readonly repositories = new Map<string, EcrRepository>();
  private readonly pullAccounts: string[] = [];
  private readonly pushGrants = new Map<string, Set<string>>();
  private readonly lifecycle: LifecycleSettings;
  private readonly encryptionKmsKeyArn?: string;
  private readonly tags?: { [key: string]: string };

  constructor(scope: Construct, id: string, props: ContainerRegistryProps = {}) {
    super(scope, id);
    checkLifecycle(this, props);
    const seen = new Set<string>();
    checkTagPatterns(this, 'releaseTagPatterns', props.releaseTagPatterns ?? DEFAULT_RELEASE_TAG_PATTERNS, seen);
    checkTagPatterns(this, 'buildTagPatterns', props.buildTagPatterns ?? DEFAULT_BUILD_TAG_PATTERNS, seen);
    if (props.encryptionKmsKeyArn !== undefined) checkKmsKeyArn(this, 'encryptionKmsKeyArn', props.encryptionKmsKeyArn);
    this.lifecycle = {
      releaseTagPatterns: props.releaseTagPatterns ?? DEFAULT_RELEASE_TAG_PATTERNS,
      buildTagPatterns: props.buildTagPatterns ?? DEFAULT_BUILD_TAG_PATTERNS,
      keepBuildImages: props.keepBuildImages ?? DEFAULT_KEEP_BUILD_IMAGES,
      untaggedExpiryDays: props.untaggedExpiryDays ?? DEFAULT_UNTAGGED_EXPIRY_DAYS,
    };
    this.encryptionKmsKeyArn = props.encryptionKmsKeyArn;
    this.tags = props.tags;
    LibraryVersion.record(this, __dirname);
  }

  /** Names of the repositories, in the order they were added. */
  public get repositoryNames(): string[] {
    return [...this.repositories.keys()];
  }

  /**
   * Adds a repository (with its lifecycle policy, and its pull policy once an account may pull).
   *
   * @param name ECR repository name, e.g. `piksel-core`; renaming a repository replaces it
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
   */
  public addRepository(name: string, options: RepositoryOptions = {}): RepositoryAttributes {
    this.checkNewRepository(name);
    checkLifecycle(this, options, ` of repository "${name}"`);
    const id = pascalId(name);

    const repository = new EcrRepository(this, id, {
      name,
      imageTagMutability: options.imageTagMutability ?? TagMutability.IMMUTABLE,
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [this.encryptionKmsKeyArn === undefined
        ? { encryptionType: DEFAULT_ENCRYPTION_TYPE }
        : { encryptionType: 'KMS', kmsKey: this.encryptionKmsKeyArn }],
      forceDelete: false,
      tags: options.tags === undefined ? this.tags : { ...this.tags, ...options.tags },
    });
    new EcrLifecyclePolicy(repository, 'Lifecycle', {
      repository: repository.name,
      policy: lifecyclePolicy({
        ...this.lifecycle,
        keepBuildImages: options.keepBuildImages ?? this.lifecycle.keepBuildImages,
        untaggedExpiryDays: options.untaggedExpiryDays ?? this.lifecycle.untaggedExpiryDays,
      }),
    });
    this.repositories.set(name, repository);
    if (this.pullAccounts.length > 0) {
      this.addPullPolicy(repository);
    }
    return { repositoryName: name, repositoryArn: repository.arn, repositoryUrl: repository.repositoryUrl };
  }

  /**
   * Lets `account` pull every repository, present and future: each repository gets one policy
   * (`PullPolicy`) naming the root of every granted account, rendered at synth time from all
   * grants, whatever the order of `grantPull` and `addRepository`. The account's own IAM decides
   * which of its principals may pull; they also need `ecr:GetAuthorizationToken` there (spoke
   * nodes: `AmazonEC2ContainerRegistryReadOnly`), which this registry cannot grant.
   *
   * @param account the 12-digit ID of the account that pulls
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
   */
  public grantPull(account: string): void {
    checkAccountId(this, 'account', account);
    if (this.pullAccounts.includes(account)) return;
    this.pullAccounts.push(account);
    if (this.pullAccounts.length === 1) {
      this.repositories.forEach((repository) => this.addPullPolicy(repository));
    }
  }

  /**
   * Lets a role of this account push to and pull the repositories named, and no other: one
   * inline policy on the role with `ecr:GetAuthorizationToken` (which takes no resource, so `*`)
   * and the push and pull actions on those repositories' ARNs. Granting the same role again adds
   * the repositories named to its policy.
   *
   * @param repositoryNames repositories of this registry, added before the grant
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
   */
  public grantPullPush(grantee: IRegistryGrantee, repositoryNames: string[]): void {
    this.checkGrantedRepositories(repositoryNames);
    // Keyed by the grantee's path: stable, and one policy per grantee and registry.
    const id = `PullPushBy${grantee.node.path.replace(/\//g, '_')}`;
    const granted = this.pushGrants.get(id);
    if (granted) {
      repositoryNames.forEach((name) => granted.add(name));
      return;
    }
    const names = new Set(repositoryNames);
    this.pushGrants.set(id, names);
    new IamRolePolicy(this, id, {
      role: grantee.granteeRoleName,
      name: `ecr-pull-push-${this.node.id}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 110) + `-${this.node.addr.slice(0, 8)}`,
      policy: Lazy.stringValue({
        produce: () => policyDocument(pullPushStatements([...names].sort().map((name) => this.repositories.get(name)!.arn))),
      }),
    });
  }

  private checkGrantedRepositories(names: string[]): void {
    if (names.length === 0) {
      throw invalidProp(this, 'repositoryNames', names, 'name the repositories the role may push; to grant all, pass registry.repositoryNames');
    }
    for (const name of names) {
      if (!this.repositories.has(name)) {
        throw invalidProp(this, 'repositoryNames', name, `add the repository with addRepository before granting it (this registry has ${this.repositoryNames.join(', ') || 'none'})`);
      }
    }
  }

  private checkNewRepository(name: string): void {
    checkEcrRepositoryName(this, 'repositoryName', name);
    if (this.repositories.has(name)) {
      throw invalidProp(this, 'repositoryName', name, 'this repository was already added; add each repository once');
    }
    const clash = this.repositoryNames.find((other) => pascalId(other) === pascalId(name));
    if (clash !== undefined) {
      throw invalidProp(this, 'repositoryName', name, `it has the same construct ID (${pascalId(name)}) as "${clash}"; rename one of them`);
    }
  }

  private addPullPolicy(repository: EcrRepository): void {
    new EcrRepositoryPolicy(repository, 'PullPolicy', {
      repository: repository.name,
      policy: Lazy.stringValue({ produce: () => policyDocument([pullByAccounts(this.pullAccounts)]) }),
    });
  }
}

/** Fails unless the lifecycle numbers are absent or whole numbers of at least 1. */
function checkLifecycle(scope: IConstruct, numbers: { keepBuildImages?: number; untaggedExpiryDays?: number }, where = ''): void {
  checkPositive(scope, `keepBuildImages${where}`, numbers.keepBuildImages, 'images');
  checkPositive(scope, `untaggedExpiryDays${where}`, numbers.untaggedExpiryDays, 'days');
}
